// llama.cpp (node-llama-cpp's prebuilt CPU library) on a GGUF file, timed like `jneuron bench`:
// one process = load, then iterations of (prefill of the prompt + first greedy token, then greedy
// decode steps). The first iteration is the cold one (fresh process); the following --warmup are
// untimed; then --iterations timed ones, whose median is "warm". Prints one RESULT line.
//
//   node llama_bench.mjs MODEL.gguf --vocab V [--threads 2] [--prompt-len 128] [--new-tokens 64]
//                        [--warmup 1] [--iterations 3] [--ctx 256]
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import {performance} from "node:perf_hooks";

const args = process.argv.slice(2);
const modelPath = args[0];
const opt = (name, def) => {
    const i = args.indexOf(name);
    return i < 0 ? def : Number(args[i + 1]);
};
const vocab = opt("--vocab", 0);
const threads = opt("--threads", 2);
const promptLen = opt("--prompt-len", 128);
const newTokens = opt("--new-tokens", 64);
const warmup = opt("--warmup", 1);
const iterations = opt("--iterations", 3);
const ctxSize = opt("--ctx", 256);
if (!modelPath || vocab < 4) {
    console.error("usage: node llama_bench.mjs MODEL.gguf --vocab V [options]");
    process.exit(2);
}
// The same prompt as bench/jlama: id_i = 3 + (i * 7919 + 13) mod (vocab - 3)
const prompt = Array.from({length: promptLen}, (_, i) => 3 + (i * 7919 + 13) % (vocab - 3));

const t0 = performance.now();
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({
    contextSize: ctxSize, batchSize: promptLen, threads, flashAttention: false, sequences: 1,
    experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32",
});
const sequence = context.getSequence();
const loadMs = performance.now() - t0;

async function once() {
    await sequence.clearHistory();
    const gen = sequence.evaluate(prompt, {temperature: 0});
    let t = performance.now();
    const ids = [(await gen.next()).value];
    const prefillMs = performance.now() - t;
    t = performance.now();
    for (let k = 1; k < newTokens; k++) {
        ids.push((await gen.next()).value);
    }
    const decodeMs = performance.now() - t;
    await gen.return();
    return {prefill: promptLen / prefillMs * 1000, decode: (newTokens - 1) / decodeMs * 1000, ttft: prefillMs, ids};
}

const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cold = await once();
for (let i = 0; i < warmup; i++) {
    await once();
}
const warm = [];
for (let i = 0; i < iterations; i++) {
    warm.push(await once());
}
const rss = process.resourceUsage().maxRSS / 1024;
const f = (x) => x.toFixed(2);
console.log(`RESULT load_ms=${f(loadMs)} cold_prefill_tok_s=${f(cold.prefill)} cold_decode_tok_s=${f(cold.decode)} `
    + `cold_ttft_ms=${f(cold.ttft)} prefill_tok_s=${f(median(warm.map((r) => r.prefill)))} `
    + `decode_tok_s=${f(median(warm.map((r) => r.decode)))} peak_rss_mb=${f(rss)} `
    + `first_ids=[${cold.ids.slice(0, 8).join(",")}]`);
await context.dispose();
await model.dispose();
await llama.dispose();
