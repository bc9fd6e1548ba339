/*
 * Stand-in models: NEFF validation, the I/O spec, tensor info with the exact array layout, and
 * nrt_execute running one small host function per NEFF.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nrt_standin.h"

#define NEFF_HEADER 1024

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* Finds "standin.spec" in an uncompressed ustar payload; returns its text length or -1. */
static long find_spec(const unsigned char *tar, size_t len, const char **text) {
    size_t off = 0;
    while (off + 512 <= len) {
        const unsigned char *h = tar + off;
        if (h[0] == 0) return -1;
        char name[101];
        memcpy(name, h, 100);
        name[100] = 0;
        char sizefield[13];
        memcpy(sizefield, h + 124, 12);
        sizefield[12] = 0;
        char *end;
        unsigned long long size = strtoull(sizefield, &end, 8);
        size_t body = off + 512;
        if (body + size > len) return -1;
        const char *base = strncmp(name, "./", 2) == 0 ? name + 2 : name;
        if (strcmp(base, "standin.spec") == 0) {
            *text = (const char *) tar + body;
            return (long) size;
        }
        off = body + ((size + 511) / 512) * 512;
    }
    return -1;
}

static int dtype_by_name(const char *name) {
    for (int i = 0; i < NDTYPES; i++) if (strcmp(DTYPES[i].name, name) == 0) return i;
    return -1;
}

static int parse_line(struct jn_nrt_model *m, char *line) {
    char *save = NULL;
    char *word = strtok_r(line, " \t\r", &save);
    if (word == NULL || word[0] == '#') return 0;
    if (strcmp(word, "function") == 0) {
        char *fn = strtok_r(NULL, " \t\r", &save);
        if (fn == NULL) return -1;
        snprintf(m->function, sizeof m->function, "%s", fn);
        return 0;
    }
    int usage = strcmp(word, "input") == 0 ? JN_USAGE_INPUT : strcmp(word, "output") == 0 ? JN_USAGE_OUTPUT : -1;
    char *name = strtok_r(NULL, " \t\r", &save), *dtype = strtok_r(NULL, " \t\r", &save);
    if (usage < 0 || name == NULL || dtype == NULL || m->count >= MAX_TENSORS) return -1;
    io_spec *io = &m->io[m->count];
    io->usage = usage;
    io->dtype_index = dtype_by_name(dtype);
    if (io->dtype_index < 0 || strlen(name) >= sizeof io->name) return -1;
    snprintf(io->name, sizeof io->name, "%s", name);
    size_t elems = 1;
    char *dim;
    while ((dim = strtok_r(NULL, " \t\r", &save)) != NULL) {
        long d = atol(dim);
        if (d <= 0 || io->ndim >= MAX_DIMS) return -1;
        io->dims[io->ndim++] = (uint32_t) d;
        elems *= (size_t) d;
    }
    io->size = elems * (size_t) DTYPES[io->dtype_index].bytes;
    m->count++;
    return 0;
}

EXPORT nrt_status_code nrt_load(const void *neff, size_t size, int32_t vnc, int32_t vnc_count, jn_nrt_model **out) {
    (void) vnc_count;
    int st = check_state("load");
    if (st) return st;
    if (neff == NULL || out == NULL) return JN_NRT_INVALID;
    const unsigned char *b = neff;
    if (size < NEFF_HEADER || le64(b + 8) != NEFF_HEADER || le64(b + 16) != size - NEFF_HEADER) return JN_NRT_INVALID;
    uint64_t pkg = le64(b), major = le64(b + 24);
    if (pkg != 1 && pkg != 2) return JN_NRT_INVALID;
    if (major > 2 || le64(b + 544) != 0) return JN_NRT_UNSUPPORTED_NEFF_VERSION;
    if (vnc >= standin_visible_count) return JN_NRT_LOAD_NOT_ENOUGH_NC;
    if (size > NEFF_HEADER + 2 && b[NEFF_HEADER] == 0x1f && b[NEFF_HEADER + 1] == 0x8b) {
        fprintf(stderr, "nrt stand-in: gzip'd NEFF payloads are not supported, write test NEFFs uncompressed\n");
        return JN_NRT_INVALID;
    }
    const char *text = NULL;
    long len = find_spec(b + NEFF_HEADER, size - NEFF_HEADER, &text);
    if (len < 0) return JN_NRT_INVALID;
    struct jn_nrt_model *m = calloc(1, sizeof *m);
    char *copy = strndup(text, (size_t) len);
    if (m == NULL || copy == NULL) {
        free(m);
        free(copy);
        return JN_NRT_RESOURCE;
    }
    m->magic = MODEL_MAGIC;
    m->vnc = vnc < 0 ? 0 : vnc;
    int bad = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (parse_line(m, line) != 0) bad = 1;
    }
    free(copy);
    if (bad || m->function[0] == 0) {
        free(m);
        return JN_NRT_INVALID;
    }
    count(&live_models, 1);
    *out = m;
    return JN_NRT_SUCCESS;
}

static int valid_model(const struct jn_nrt_model *m) { return m != NULL && m->magic == MODEL_MAGIC; }

EXPORT nrt_status_code nrt_unload(jn_nrt_model *m) {
    int st = check_state("unload");
    if (st) return st;
    if (!valid_model(m)) return JN_NRT_INVALID_HANDLE;
    m->magic = 0;
    free(m);
    count(&live_models, -1);
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_get_model_tensor_info(jn_nrt_model *m, jn_tensor_info_array **out) {
    int st = check_state("info");
    if (st) return st;
    if (!valid_model(m) || out == NULL) return JN_NRT_INVALID_HANDLE;
    jn_tensor_info_array *a = calloc(1, sizeof *a + (size_t) m->count * sizeof(jn_tensor_info));
    if (a == NULL) return JN_NRT_RESOURCE;
    a->tensor_count = (uint64_t) m->count;
    for (int i = 0; i < m->count; i++) {
        const io_spec *io = &m->io[i];
        jn_tensor_info *t = &a->tensor_array[i];
        snprintf(t->name, sizeof t->name, "%s", io->name);
        t->usage = io->usage;
        t->size = io->size;
        t->dtype = standin_hardware_numbering ? DTYPES[io->dtype_index].hardware : DTYPES[io->dtype_index].legacy;
        t->ndim = io->ndim;
        t->shape = malloc(sizeof(uint32_t) * (io->ndim ? io->ndim : 1));
        if (t->shape == NULL) {
            for (int j = 0; j < i; j++) free(a->tensor_array[j].shape);
            free(a);
            return JN_NRT_RESOURCE;
        }
        memcpy(t->shape, io->dims, sizeof(uint32_t) * io->ndim);
    }
    count(&live_infos, 1);
    *out = a;
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_free_model_tensor_info(jn_tensor_info_array *a) {
    if (a == NULL) return JN_NRT_INVALID;
    for (uint64_t i = 0; i < a->tensor_count; i++) free(a->tensor_array[i].shape);
    free(a);
    count(&live_infos, -1);
    return JN_NRT_SUCCESS;
}

/* The host functions a test NEFF can name. Tensors were checked against the spec sizes. */
static int run_function(const struct jn_nrt_model *m, jn_nrt_tensor **in, int nin, jn_nrt_tensor **out, int nout) {
    if (strcmp(m->function, "identity") == 0) {
        if (nin < 1 || nout < 1 || in[0]->size != out[0]->size) return JN_NRT_INVALID;
        memcpy(out[0]->data, in[0]->data, in[0]->size);
        return JN_NRT_SUCCESS;
    }
    if (strcmp(m->function, "add_f32") == 0) {
        if (nin < 2 || nout < 1 || in[0]->size != out[0]->size || in[1]->size != out[0]->size) return JN_NRT_INVALID;
        size_t n = out[0]->size / sizeof(float);
        const float *a = (const float *) in[0]->data, *b = (const float *) in[1]->data;
        float *c = (float *) out[0]->data;
        int nan = 0;
        for (size_t i = 0; i < n; i++) {
            c[i] = a[i] + b[i];
            nan |= isnan(c[i]);
        }
        /* like the device, a NaN result still completes but is reported */
        return nan ? JN_NRT_EXEC_COMPLETED_WITH_NUM_ERR : JN_NRT_SUCCESS;
    }
    if (strcmp(m->function, "sum_i32") == 0) {
        if (nin < 1 || nout < 1 || out[0]->size != sizeof(int32_t)) return JN_NRT_INVALID;
        const int32_t *a = (const int32_t *) in[0]->data;
        int32_t s = 0;
        for (size_t i = 0; i < in[0]->size / sizeof(int32_t); i++) s += a[i];
        memcpy(out[0]->data, &s, sizeof s);
        return JN_NRT_SUCCESS;
    }
    if (strcmp(m->function, "next_token") == 0) {
        /* A toy decoder: input_ids int32 [B,S], lengths int32 [B] -> logits float32 [B,V], one-hot on
         * (last real token + 1) mod V, so a greedy generation counts upwards from the prompt. */
        if (nin < 2 || nout < 1 || in[1]->size == 0) return JN_NRT_INVALID;
        size_t batch = in[1]->size / sizeof(int32_t);
        size_t seq = in[0]->size / sizeof(int32_t) / batch, vocab = out[0]->size / sizeof(float) / batch;
        const int32_t *ids = (const int32_t *) in[0]->data, *lens = (const int32_t *) in[1]->data;
        float *logits = (float *) out[0]->data;
        memset(logits, 0, out[0]->size);
        for (size_t b = 0; b < batch; b++) {
            if (lens[b] < 1 || (size_t) lens[b] > seq) return JN_NRT_EXEC_BAD_INPUT;
            int32_t last = ids[b * seq + (size_t) lens[b] - 1];
            logits[b * vocab + (size_t) (((int64_t) last + 1) % (int64_t) vocab)] = 1.0f;
        }
        return JN_NRT_SUCCESS;
    }
    return JN_NRT_INVALID;
}

EXPORT nrt_status_code nrt_execute(jn_nrt_model *m, const jn_nrt_tensor_set *in_set, jn_nrt_tensor_set *out_set) {
    int st = check_state("execute");
    if (st) return st;
    if (!valid_model(m) || in_set == NULL || out_set == NULL || ((const tensor_set *) in_set)->magic != SET_MAGIC
            || ((const tensor_set *) out_set)->magic != SET_MAGIC) return JN_NRT_INVALID_HANDLE;
    jn_nrt_tensor *in[MAX_TENSORS], *out[MAX_TENSORS];
    int nin = 0, nout = 0;
    for (int i = 0; i < m->count; i++) {
        const io_spec *io = &m->io[i];
        int input = io->usage == JN_USAGE_INPUT;
        jn_nrt_tensor *t = standin_set_find((void *) (input ? in_set : out_set), io->name);
        if (t == NULL) return input ? JN_NRT_EXEC_BAD_INPUT : JN_NRT_INVALID;
        if (t->size != io->size || t->data == NULL) return JN_NRT_INVALID;
        if (input) in[nin++] = t; else out[nout++] = t;
    }
    return run_function(m, in, nin, out, nout);
}
