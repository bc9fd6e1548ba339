package io.jneuron.core.hub;

import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A whole folder to or from a Hub model repo, as {@code huggingface-cli upload / download} do: an exported
 * model pushed once and run anywhere by its repo id. Uploads add or replace files in one commit and never
 * delete what the repo has besides; downloads land in the standard Hugging Face cache, pinned to a commit.
 */
public final class HubFolders {
    /** Far more than an exported folder holds; a guard against uploading a home directory by mistake. */
    static final int MAX_FILES = 10_000;

    private HubFolders() {
    }

    /**
     * @param created whether the repo was created by this upload
     * @param files   the paths committed, '/'-separated, sorted
     */
    public record Uploaded(String repo, String commit, String url, List<String> files, boolean created) {
        public Uploaded {
            files = List.copyOf(files);
        }
    }

    /** @param folder the snapshot folder in the Hugging Face cache ({@code snapshots/<revision>}) */
    public record Downloaded(String repo, String revision, Path folder, List<String> files) {
        public Downloaded {
            files = List.copyOf(files);
        }
    }

    /**
     * Creates {@code repo} when it does not exist ({@code isPrivate} applies then only), and commits every regular
     * file under {@code dir} (hidden files left out; a linked file is uploaded with its target's content, as a
     * Hugging Face cache snapshot holds links) in one commit.
     */
    public static Uploaded upload(HubClient hub, String repo, Path dir, boolean isPrivate) {
        if (!Files.isDirectory(dir)) {
            throw new NeuronKernelException("LOCAL_DIR '" + dir + "' is not a folder; give the exported folder to upload");
        }
        List<String> files = files(dir);
        if (files.isEmpty()) {
            throw new NeuronKernelException("LOCAL_DIR '" + dir + "' has no files to upload");
        }
        boolean created = true;
        try {
            repo = hub.createRepo(repo, isPrivate);
        } catch (HubException e) {
            if (e.kind() != HubException.Kind.CONFLICT) {
                throw e;
            }
            created = false; // it exists: add to it, as huggingface-cli upload does
        }
        List<CommitOperation> ops = new ArrayList<>();
        for (String f : files) {
            ops.add(CommitOperation.add(f, dir.resolve(f)));
        }
        CommitInfo c = hub.commit(repo, ops, "Upload " + dir.toAbsolutePath().normalize().getFileName() + " with jneuron",
                null);
        return new Uploaded(repo, c.oid(), c.url(), files, created);
    }

    /** Every file of {@code repo} at {@code main}, into the Hugging Face cache; files already there are not fetched. */
    public static Downloaded download(HubClient hub, String repo) {
        RepoInfo info = hub.repoInfo(repo, null);
        List<String> files = new ArrayList<>();
        Path folder = null;
        for (TreeEntry e : hub.listTree(repo, info.sha(), "", true)) {
            if (!e.directory()) {
                Path file = hub.download(repo, info.sha(), e.path());
                folder = file;
                for (int depth = e.path().split("/").length; depth > 0; depth--) {
                    folder = folder.getParent(); // snapshots/<revision>/a/b -> snapshots/<revision>
                }
                files.add(e.path());
            }
        }
        if (folder == null) {
            throw new NeuronKernelException(repo + " has no files on the Hub; nothing to download");
        }
        return new Downloaded(repo, info.sha(), folder, files.stream().sorted().toList());
    }

    private static List<String> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> out = walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".") && !p.contains("/."))
                    .sorted().toList();
            if (out.size() > MAX_FILES) {
                throw new NeuronKernelException("LOCAL_DIR '" + dir + "' has " + out.size() + " files, more than "
                        + MAX_FILES + "; upload an exported folder, not a tree of them");
            }
            return out;
        } catch (IOException e) {
            throw new NeuronKernelException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
