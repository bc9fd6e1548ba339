/* Stand-in tensors and tensor sets: host memory, keyed by name, pointers cleared on free. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "nrt_standin.h"

static int valid_tensor(const jn_nrt_tensor *t) { return t != NULL && t->magic == TENSOR_MAGIC; }

EXPORT nrt_status_code nrt_tensor_allocate(int32_t placement, int vnc, size_t size, const char *name,
                                           jn_nrt_tensor **out) {
    (void) name;
    int st = check_state("tensor_allocate");
    if (st) return st;
    if (out == NULL || placement < JN_PLACEMENT_DEVICE || placement > JN_PLACEMENT_VIRTUAL) return JN_NRT_INVALID;
    if (placement == JN_PLACEMENT_DEVICE && vnc >= standin_visible_count) return JN_NRT_INVALID;
    if (placement == JN_PLACEMENT_HOST && size > HOST_PLACEMENT_MAX) return JN_NRT_RESOURCE;
    jn_nrt_tensor *t = calloc(1, sizeof *t);
    unsigned char *data = calloc(1, size ? size : 1);
    if (t == NULL || data == NULL) {
        free(t);
        free(data);
        return JN_NRT_RESOURCE;
    }
    *t = (jn_nrt_tensor) {TENSOR_MAGIC, placement, 1, size, data};
    count(&live_tensors, 1);
    *out = t;
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_tensor_allocate_empty(const char *name, jn_nrt_tensor **out) {
    (void) name;
    int st = check_state("tensor_allocate");
    if (st) return st;
    if (out == NULL) return JN_NRT_INVALID;
    jn_nrt_tensor *t = calloc(1, sizeof *t);
    if (t == NULL) return JN_NRT_RESOURCE;
    *t = (jn_nrt_tensor) {TENSOR_MAGIC, JN_PLACEMENT_VIRTUAL, 0, 0, NULL};
    count(&live_tensors, 1);
    *out = t;
    return JN_NRT_SUCCESS;
}

/* The caller's buffer replaces any owned storage and is never freed here; placement becomes VIRTUAL. */
EXPORT nrt_status_code nrt_tensor_attach_buffer(jn_nrt_tensor *t, void *buffer, size_t size) {
    int st = check_state("attach");
    if (st) return st;
    if (!valid_tensor(t) || buffer == NULL) return JN_NRT_INVALID;
    if (t->owns) free(t->data);
    t->data = buffer;
    t->size = size;
    t->owns = 0;
    t->placement = JN_PLACEMENT_VIRTUAL;
    return JN_NRT_SUCCESS;
}

EXPORT void nrt_tensor_free(jn_nrt_tensor **p) {
    if (p == NULL || !valid_tensor(*p)) return;
    jn_nrt_tensor *t = *p;
    if (t->owns) free(t->data);
    t->magic = 0;
    free(t);
    count(&live_tensors, -1);
    *p = NULL;
}

static nrt_status_code copy_check(const jn_nrt_tensor *t, const void *buf, size_t offset, size_t size) {
    if (!valid_tensor(t) || buf == NULL || t->data == NULL) return JN_NRT_INVALID;
    if (offset > t->size || size > t->size - offset) return JN_NRT_INVALID;
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_tensor_write(jn_nrt_tensor *t, const void *buf, size_t offset, size_t size) {
    int st = check_state("tensor_write");
    if (st) return st;
    if ((st = copy_check(t, buf, offset, size)) != 0) return st;
    memcpy(t->data + offset, buf, size);
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_tensor_read(const jn_nrt_tensor *t, void *buf, size_t offset, size_t size) {
    int st = check_state("tensor_read");
    if (st) return st;
    if ((st = copy_check(t, buf, offset, size)) != 0) return st;
    memcpy(buf, t->data + offset, size);
    return JN_NRT_SUCCESS;
}

EXPORT size_t nrt_tensor_get_size(const jn_nrt_tensor *t) { return valid_tensor(t) ? t->size : 0; }

EXPORT nrt_status_code nrt_allocate_tensor_set(jn_nrt_tensor_set **out) {
    int st = check_state("set_allocate");
    if (st) return st;
    if (out == NULL) return JN_NRT_INVALID;
    tensor_set *s = calloc(1, sizeof *s);
    if (s == NULL) return JN_NRT_RESOURCE;
    s->magic = SET_MAGIC;
    count(&live_sets, 1);
    *out = s;
    return JN_NRT_SUCCESS;
}

/* Frees the set and its keys only: member tensors belong to the caller. */
EXPORT void nrt_destroy_tensor_set(jn_nrt_tensor_set **p) {
    if (p == NULL || *p == NULL) return;
    tensor_set *s = *p;
    if (s->magic != SET_MAGIC) return;
    for (int i = 0; i < s->count; i++) free(s->entries[i].name);
    free(s->entries);
    s->magic = 0;
    free(s);
    count(&live_sets, -1);
    *p = NULL;
}

jn_nrt_tensor *standin_set_find(void *set, const char *name) {
    tensor_set *s = set;
    for (int i = 0; i < s->count; i++) if (strcmp(s->entries[i].name, name) == 0) return s->entries[i].tensor;
    return NULL;
}

EXPORT nrt_status_code nrt_add_tensor_to_tensor_set(jn_nrt_tensor_set *set, const char *name, jn_nrt_tensor *t) {
    int st = check_state("set_add");
    if (st) return st;
    tensor_set *s = set;
    if (s == NULL || s->magic != SET_MAGIC || name == NULL || !valid_tensor(t)) return JN_NRT_INVALID;
    for (int i = 0; i < s->count; i++) {
        if (strcmp(s->entries[i].name, name) == 0) {
            s->entries[i].tensor = t;   /* same key: replace */
            return JN_NRT_SUCCESS;
        }
    }
    if (s->count == s->cap) {
        int cap = s->cap ? s->cap * 2 : 4;
        set_entry *grown = realloc(s->entries, sizeof *grown * (size_t) cap);
        if (grown == NULL) return JN_NRT_RESOURCE;
        s->entries = grown;
        s->cap = cap;
    }
    char *key = strdup(name);
    if (key == NULL) return JN_NRT_RESOURCE;
    s->entries[s->count++] = (set_entry) {key, t};
    return JN_NRT_SUCCESS;
}

EXPORT nrt_status_code nrt_get_tensor_from_tensor_set(jn_nrt_tensor_set *set, const char *name, jn_nrt_tensor **out) {
    int st = check_state("set_get");
    if (st) return st;
    tensor_set *s = set;
    if (s == NULL || s->magic != SET_MAGIC || name == NULL || out == NULL) return JN_NRT_INVALID;
    jn_nrt_tensor *t = standin_set_find(s, name);
    if (t == NULL) return JN_NRT_FAILURE;   /* absent: nothing written, as documented */
    *out = t;
    return JN_NRT_SUCCESS;
}
