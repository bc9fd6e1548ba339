/* STREAM-style bandwidth on this machine: triad a[i] = b[i] + s * c[i] and a read-only sum over
 * arrays far larger than the caches, best of several passes, on the OpenMP threads given by
 * OMP_NUM_THREADS; then rows_GB_s, decode's own access pattern compiled by gcc: fp32 rows of 768 taken 4 at
 * a time against one activation vector (what the CPU backend's decode kernels do), each thread over its
 * half of 438 MB, a ~110M Llama's fp32 weights, then rows4x4_GB_s, the same with four streams a thread;
 * last fma_GFLOP_s, register-only fp32 FMAs (no memory traffic), the median of the passes: on this shared
 * machine a core's compute rate itself moves (1.1 against 1.7 G vector FMAs a second minutes apart), which
 * prefill, bound by compute, follows.
 * Build and run with bench/stream/run.sh. Written for this project, not STREAM's code. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define N (40L * 1000 * 1000) /* 3 x 320 MB */
#define PASSES 7
#define COLS 768
#define ROWS (438L * 1000 * 1000 / 4 / COLS / 4 * 4)

/* Rows r0..r1-1 (a multiple of 4 apart) of w against x: 4 rows at a time, one sum per row, as decode does. */
static void rows4(const float *w, const float *x, float *out, long r0, long r1) {
    for (long r = r0; r < r1; r += 4) {
        const float *p = w + r * COLS;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
        for (int i = 0; i < COLS; i++) {
            s0 += p[i] * x[i];
            s1 += p[COLS + i] * x[i];
            s2 += p[2 * COLS + i] * x[i];
            s3 += p[3 * COLS + i] * x[i];
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
}

/* The same rows, each block of 4 taking one row from each quarter of r0..r1-1: four streams at once, which
 * the hardware prefetchers follow side by side (bench/README.md, ninth session). */
static void rows4x4(const float *w, const float *x, float *out, long r0, long r1) {
    long q = (r1 - r0) / 4;
    for (long j = r0; j < r0 + q; j++) {
        const float *p0 = w + j * COLS, *p1 = p0 + q * COLS, *p2 = p1 + q * COLS, *p3 = p2 + q * COLS;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
        for (int i = 0; i < COLS; i++) {
            s0 += p0[i] * x[i];
            s1 += p1[i] * x[i];
            s2 += p2[i] * x[i];
            s3 += p3[i] * x[i];
        }
        out[j] = s0; out[j + q] = s1; out[j + 2 * q] = s2; out[j + 3 * q] = s3;
    }
}

/* Seconds for one pass of a rows kernel over the matrix, each thread over its half. */
static double timed(void (*kernel)(const float *, const float *, float *, long, long), const float *w,
                    const float *x, float *out) {
    double t = omp_get_wtime();
#pragma omp parallel
    {
        int id = omp_get_thread_num(), n = omp_get_num_threads();
        kernel(w, x, out, ROWS / 4 * id / n * 4, ROWS / 4 * (id + 1) / n * 4);
    }
    return omp_get_wtime() - t;
}

/* Seconds for FMA_ITER dependent-chain steps of 128 independent fp32 lanes (8 AVX-512 registers) a thread. */
#define FMA_ITER (20L * 1000 * 1000)
static double fma_pass(float *sink) {
    double t = omp_get_wtime();
    float s = 0;
#pragma omp parallel reduction(+ : s)
    {
        float acc[128];
        for (int k = 0; k < 128; k++) acc[k] = k * 1e-3f;
        for (long i = 0; i < FMA_ITER; i++) {
#pragma omp simd
            for (int k = 0; k < 128; k++) acc[k] = acc[k] * 0.999999f + 1e-6f;
        }
        for (int k = 0; k < 128; k++) s += acc[k];
    }
    *sink += s;
    return omp_get_wtime() - t;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

int main(void) {
    double *a = malloc(N * sizeof(double)), *b = malloc(N * sizeof(double)), *c = malloc(N * sizeof(double));
    if (!a || !b || !c) return 1;
#pragma omp parallel for
    for (long i = 0; i < N; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    double best_triad = 1e30, best_read = 1e30, sink = 0;
    for (int p = 0; p < PASSES; p++) {
        double t = omp_get_wtime();
#pragma omp parallel for
        for (long i = 0; i < N; i++) a[i] = b[i] + 3.0 * c[i];
        t = omp_get_wtime() - t;
        if (t < best_triad) best_triad = t;
        double s = 0;
        t = omp_get_wtime();
        /* Decode reads weights and writes next to nothing: a read-only stream, vectorised and split into 32
         * independent sums (4 vectors of 8), so it is bound by memory, not by the latency of one add chain. */
#pragma omp parallel reduction(+ : s)
        {
            double p[32] = {0};
#pragma omp for
            for (long j = 0; j < N / 32; j++) {
                const double *q = a + j * 32;
#pragma omp simd
                for (int k = 0; k < 32; k++) p[k] += q[k];
            }
            for (int k = 0; k < 32; k++) s += p[k];
        }
        t = omp_get_wtime() - t;
        sink += s;
        if (t < best_read) best_read = t;
    }
    free(a); free(b); free(c);
    float *w = aligned_alloc(4096, ROWS * COLS * sizeof(float)), *out = malloc(ROWS * sizeof(float)), x[COLS];
    if (!w || !out) return 1;
#pragma omp parallel for
    for (long i = 0; i < ROWS * COLS; i++) w[i] = (float) (i % 1023) * 1e-3f;
    for (int i = 0; i < COLS; i++) x[i] = 1.0f / (i + 1);
    double best_rows = 1e30, best_streams = 1e30;
    for (int p = 0; p < PASSES; p++) {
        double t = timed(rows4, w, x, out);
        sink += out[ROWS / 3];
        if (t < best_rows) best_rows = t;
        t = timed(rows4x4, w, x, out);
        sink += out[ROWS / 3];
        if (t < best_streams) best_streams = t;
    }
    double fma_t[PASSES];
    float fma_sink = 0;
    for (int p = 0; p < PASSES; p++) fma_t[p] = fma_pass(&fma_sink);
    qsort(fma_t, PASSES, sizeof(double), by_value);
    sink += fma_sink;
    printf("threads=%d triad_GB_s=%.1f read_GB_s=%.1f rows_GB_s=%.1f rows4x4_GB_s=%.1f fma_GFLOP_s=%.1f (check %.0f)\n",
           omp_get_max_threads(), 3.0 * N * sizeof(double) / best_triad / 1e9, 1.0 * N * sizeof(double) / best_read / 1e9,
           1.0 * ROWS * COLS * sizeof(float) / best_rows / 1e9, 1.0 * ROWS * COLS * sizeof(float) / best_streams / 1e9,
           2.0 * 128 * FMA_ITER * omp_get_max_threads() / fma_t[PASSES / 2] / 1e9, sink);
    return 0;
}
