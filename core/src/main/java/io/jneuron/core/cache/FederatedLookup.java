package io.jneuron.core.cache;

import io.jneuron.core.hub.HubException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code cache lookup} over the local cache and a Hub cache repo: each source is searched with
 * the same registry code and path checks, and every row keeps its source ({@code local} or {@code hub}). Local
 * rows come first. A Hub that cannot be reached costs the Hub rows only: the local rows are still returned, with
 * one warning line.
 */
public final class FederatedLookup {
    /**
     * CHOICE: the Hub is searched by arch digest and alias folders only. Both cost one listing per registry version
     * plus one download per match; the config comparison (the pre-0.4.5 fallback) downloads every entry of a model
     * type, which on a shared repo grows with the repo, not with the matches (a performance target: requests bounded by the matches).
     */
    public static final Set<LookupStrategy> HUB_STRATEGIES = EnumSet.of(LookupStrategy.ARCH_DIGEST, LookupStrategy.ALIAS);

    /**
     * @param rows     local rows, then Hub rows, each in the registry lookup's order
     * @param warnings one line per source that could not be searched (no token, no stack trace)
     */
    public record Result(List<LookupMatch> rows, List<String> warnings) {
        public Result {
            rows = List.copyOf(rows);
            warnings = List.copyOf(warnings);
        }
    }

    private FederatedLookup() {
    }

    /** Looks {@code query} up in {@code local}, then in {@code hub} when given; problems with entries go to {@code skipped}. */
    public static Result lookup(LookupQuery query, Registry local, Optional<RegistrySource> hub,
                                Consumer<RegistryProblem> skipped) {
        List<LookupMatch> rows = new ArrayList<>(local.lookup(query, skipped));
        List<String> warnings = new ArrayList<>();
        if (hub.isPresent()) {
            RegistrySource source = hub.get();
            try {
                rows.addAll(Registry.over(source).lookup(query, HUB_STRATEGIES, skipped));
            } catch (HubException e) {
                warnings.add("warning: cannot search the cache repo " + source.location() + ": "
                        + oneLine(e.getMessage()) + "; showing local entries only");
            }
        }
        return new Result(rows, warnings);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
