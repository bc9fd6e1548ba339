/*
 * A stand-in libnrt.so.1 for tests on machines without Neuron hardware (spec section 1.10).
 *
 * It exports the stable API with the exact C signatures and struct layouts (shared with the shim
 * through nrt_decls.h), returns NRT_UNINITIALIZED before nrt_init and NRT_CLOSED after nrt_close,
 * parses NEURON_RT_VISIBLE_CORES / NEURON_RT_NUM_CORES like the runtime does, and runs a small host
 * function per NEFF so execute results can be checked.
 *
 * Test NEFFs: a real 1024-byte NEFF header followed by an uncompressed tar holding a member
 * "standin.spec" with lines "function NAME", "input|output NAME DTYPE DIM...".
 *
 * Knobs, all environment variables (the tests set them through the shim's setenv):
 *   NRT_STANDIN_DTYPES=legacy|hardware   dtype numbering reported by tensor info (read at nrt_init)
 *   NRT_STANDIN_VERSION=2.20.0.0         what nrt_get_version reports
 *   NRT_STANDIN_TOTAL_CORES=2            cores on the pretend machine
 *   NRT_STANDIN_FAIL=execute=5,load=1005 make a function return a status (read on every call)
 * nrt_get_version's rt_detail reports live object counts, which the soak test checks.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nrt_standin.h"

const dtype_row DTYPES[] = {{"float32", 1, 0xA, 4}, {"float16", 2, 0x7, 2}, {"bfloat16", 3, 0x6, 2}, {"int8", 4, 0x2, 1},
    {"uint8", 5, 0x3, 1}, {"int16", 6, 0x4, 2}, {"uint16", 7, 0x5, 2}, {"int32", 8, 0x8, 4},
    {"uint32", 9, 0x9, 4}, {"int64", 10, 0xC, 8}, {"uint64", 11, 0x1, 8},
};
const int NDTYPES = (int) (sizeof DTYPES / sizeof DTYPES[0]);


int standin_state = UNINIT;
int standin_hardware_numbering;
int standin_visible_count;
static int visible_start;
long live_models, live_tensors, live_sets, live_infos;

void count(long *c, int delta) { __atomic_add_fetch(c, delta, __ATOMIC_SEQ_CST); }

static int total_cores(void) {
    const char *v = getenv("NRT_STANDIN_TOTAL_CORES");
    int n = v ? atoi(v) : 2;
    return n > 0 ? n : 2;
}

/* NRT_STANDIN_FAIL=fn=code[,fn=code]: the injected status for this function, or 0. */
int injected(const char *fn) {
    const char *spec = getenv("NRT_STANDIN_FAIL");
    if (spec == NULL) return 0;
    size_t n = strlen(fn);
    for (const char *p = spec; *p; ) {
        if (strncmp(p, fn, n) == 0 && p[n] == '=') return atoi(p + n + 1);
        const char *comma = strchr(p, ',');
        if (comma == NULL) break;
        p = comma + 1;
    }
    return 0;
}

int check_state(const char *fn) {
    if (standin_state == UNINIT) return JN_NRT_UNINITIALIZED;
    if (standin_state == CLOSED) return JN_NRT_CLOSED;
    return injected(fn);
}

/* "3", "3-6", "3-5,6": ranges must follow each other without gaps, as the runtime requires. */
static int parse_visible(const char *s, int total, int *start, int *n) {
    int first = -1, next = -1;
    const char *p = s;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 0) return -1;
        p = end;
        b = a;
        if (*p == '-') {
            b = strtol(p + 1, &end, 10);
            if (end == p + 1 || b < a) return -1;
            p = end;
        }
        if (first < 0) first = (int) a;
        else if (a != next) return -1;
        next = (int) b + 1;
        if (*p == ',') p++;
        else if (*p) return -1;
    }
    if (first < 0 || next > total) return -1;
    *start = first;
    *n = next - first;
    return 0;
}

static int resolve_visible(int *start, int *n) {
    int total = total_cores();
    const char *vis = getenv("NEURON_RT_VISIBLE_CORES");
    const char *num = getenv("NEURON_RT_NUM_CORES");
    *start = 0;
    *n = total;
    if (vis != NULL && *vis) return parse_visible(vis, total, start, n);
    if (num != NULL && *num) {
        char *end;
        long k = strtol(num, &end, 10);
        if (*end || k < 0 || k > total) return -1;
        if (k > 0) *n = (int) k;
    }
    return 0;
}

EXPORT nrt_status_code nrt_init(int32_t framework, const char *fw_version, const char *fal_version) {
    (void) fw_version; (void) fal_version;
    int inj = injected("init");
    if (inj) return inj;
    if (standin_state == OPEN) return JN_NRT_FAILURE;
    if (framework < 1 || framework > 5) return JN_NRT_INVALID;
    if (resolve_visible(&visible_start, &standin_visible_count) != 0) {
        fprintf(stderr, "nrt stand-in: bad NEURON_RT_VISIBLE_CORES/NEURON_RT_NUM_CORES\n");
        return JN_NRT_INVALID;
    }
    const char *numbering = getenv("NRT_STANDIN_DTYPES");
    standin_hardware_numbering = numbering != NULL && strcmp(numbering, "hardware") == 0;
    standin_state = OPEN;
    return JN_NRT_SUCCESS;
}

/* Closing is allowed again after a close, so one test JVM can open several runtimes in turn. */
EXPORT void nrt_close(void) {
    if (standin_state == OPEN) standin_state = CLOSED;
}

EXPORT nrt_status_code nrt_get_version(jn_nrt_version *v, size_t size) {
    if (v == NULL || size < sizeof *v) return JN_NRT_INVALID;
    const char *s = getenv("NRT_STANDIN_VERSION");
    unsigned long long p[4] = {2, 20, 0, 0};
    if (s != NULL) sscanf(s, "%llu.%llu.%llu.%llu", &p[0], &p[1], &p[2], &p[3]);
    memset(v, 0, sizeof *v);
    v->rt_major = p[0]; v->rt_minor = p[1]; v->rt_patch = p[2]; v->rt_maintenance = p[3];
    snprintf(v->rt_detail, sizeof v->rt_detail, "jneuron stand-in; live models=%ld tensors=%ld sets=%ld infos=%ld",
             __atomic_load_n(&live_models, __ATOMIC_SEQ_CST), __atomic_load_n(&live_tensors, __ATOMIC_SEQ_CST),
             __atomic_load_n(&live_sets, __ATOMIC_SEQ_CST), __atomic_load_n(&live_infos, __ATOMIC_SEQ_CST));
    snprintf(v->git_hash, sizeof v->git_hash, "standin");
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_get_total_nc_count(uint32_t *n) {
    if (n == NULL) return JN_NRT_INVALID;
    *n = (uint32_t) total_cores();
    return JN_NRT_SUCCESS;
}

/* Callable before nrt_init, so it reads the variables itself instead of the init-time copy. */
EXPORT nrt_status_code nrt_get_visible_nc_count(uint32_t *n) {
    int start, count_;
    if (n == NULL) return JN_NRT_INVALID;
    if (resolve_visible(&start, &count_) != 0) return JN_NRT_INVALID;
    *n = (uint32_t) count_;
    return JN_NRT_SUCCESS;
}

EXPORT const char *nrt_get_status_as_str(nrt_status_code st) {
    switch (st) {
        case JN_NRT_SUCCESS: return "success";
        case JN_NRT_TIMEOUT: return "execution timed out (stand-in)";
        case JN_NRT_QUEUE_FULL: return "too many pending executions (stand-in)";
        case JN_NRT_EXEC_NC_BUSY: return "NeuronCore busy (stand-in)";
        default: return NULL;
    }
}

