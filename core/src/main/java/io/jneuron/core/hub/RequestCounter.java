package io.jneuron.core.hub;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the requests a client sends, redirect hops included, and remembers "METHOD path" of each; add
 * it with {@link HubClient.Builder#addNetworkInterceptor}. Tests use it to prove that offline mode sends
 * nothing and that a lookup's requests grow with its matches, not with the repo. Thread-safe.
 */
public final class RequestCounter implements Interceptor {
    private final List<String> requests = new ArrayList<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        synchronized (requests) {
            // The path only: query strings may carry cursors, and nothing here should ever hold a header.
            requests.add(chain.request().method() + " " + chain.request().url().encodedPath());
        }
        return chain.proceed(chain.request());
    }

    public int count() {
        synchronized (requests) {
            return requests.size();
        }
    }

    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }
}
