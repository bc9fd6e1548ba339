package io.jneuron.core.service;

import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubFolders;
import io.jneuron.core.report.Report;

import java.nio.file.Path;

/** {@code hub upload} and {@code hub download}: exported folders to and from Hub model repos ({@link HubFolders}). */
public final class HubService {
    private HubService() {
    }

    /** What an upload committed; JSON {@code {"repo", "commit", "url", "created", "files"}}. */
    public record Upload(HubFolders.Uploaded uploaded) implements Report {
        @Override
        public String headline() {
            return "Uploaded " + uploaded.files().size() + " file(s) to " + uploaded.repo()
                    + (uploaded.created() ? " (created)" : "") + " at commit " + uploaded.commit();
        }

        @Override
        public Object json() {
            return Report.fields("repo", uploaded.repo(), "commit", uploaded.commit(), "url", uploaded.url(), "created",
                    uploaded.created(), "files", uploaded.files());
        }
    }

    /** Where a download landed; the text form is the snapshot folder alone, as huggingface-cli prints it. */
    public record Download(HubFolders.Downloaded downloaded) implements Report {
        @Override
        public String headline() {
            return downloaded.folder().toString();
        }

        @Override
        public Object json() {
            return Report.fields("repo", downloaded.repo(), "revision", downloaded.revision(), "folder",
                    downloaded.folder().toString(), "files", downloaded.files());
        }
    }

    public static Upload upload(String repo, Path dir, boolean isPrivate, Context ctx) {
        try (HubClient hub = ctx.hubClient()) {
            return new Upload(HubFolders.upload(hub, repo, dir, isPrivate));
        }
    }

    public static Download download(String repo, Context ctx) {
        try (HubClient hub = ctx.hubClient()) {
            return new Download(HubFolders.download(hub, repo));
        }
    }
}
