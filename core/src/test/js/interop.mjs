// Drives the official @huggingface/hub client against a Hub-compatible server (HubServeNodeTest).
// Input (environment): HF_ENDPOINT, HF_TOKEN, HUB_REPO, HUB_DOWNLOAD (a path in the repo),
// HUB_UPLOADS (JSON list of {"path": in-repo path, "file": local file}).
// Output: one JSON document on stdout; errors go to stderr with exit code 1.
import { listFiles, downloadFile, uploadFiles } from "@huggingface/hub";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const hubUrl = process.env.HF_ENDPOINT;
const accessToken = process.env.HF_TOKEN;
const repo = { type: "model", name: process.env.HUB_REPO };

const files = [];
for await (const f of listFiles({ repo, hubUrl, accessToken, recursive: true })) {
  files.push({ path: f.path, type: f.type, size: f.size, oid: f.oid, lfs: f.lfs ? f.lfs.oid : null });
}

const blob = await downloadFile({ repo, hubUrl, accessToken, path: process.env.HUB_DOWNLOAD });
const bytes = Buffer.from(await blob.arrayBuffer());

const uploads = JSON.parse(process.env.HUB_UPLOADS || "[]");
const result = await uploadFiles({
  repo, hubUrl, accessToken,
  files: uploads.map((u) => ({ path: u.path, content: new Blob([readFileSync(u.file)]) })),
  commitTitle: "upload from @huggingface/hub",
});

process.stdout.write(JSON.stringify({
  files,
  downloaded: { path: process.env.HUB_DOWNLOAD, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") },
  commit: result.commit.oid,
}) + "\n");
