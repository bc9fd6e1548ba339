/* STREAM-style bandwidth on this machine: triad a[i] = b[i] + s * c[i] and a read-only sum over
 * arrays far larger than the caches, best of several passes, on the OpenMP threads given by
 * OMP_NUM_THREADS. Build and run with bench/stream/run.sh. Written for this project, not STREAM's code. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define N (40L * 1000 * 1000) /* 3 x 320 MB */
#define PASSES 7

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
    printf("threads=%d triad_GB_s=%.1f read_GB_s=%.1f (check %.0f)\n", omp_get_max_threads(),
           3.0 * N * sizeof(double) / best_triad / 1e9, 1.0 * N * sizeof(double) / best_read / 1e9, sink);
    return 0;
}
