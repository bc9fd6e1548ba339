/*
 * Our own declarations of the Neuron runtime (libnrt) C API, written from
 * shared/specs/neuron-runtime.md section 1 (signatures, struct layouts, status codes).
 * The vendor headers are not redistributable, so nothing here is copied from them:
 * the JNI shim and the test stand-in both include this file, and the static asserts
 * below pin every offset the spec measured on x86_64 LP64.
 */
#ifndef JNEURON_NRT_DECLS_H
#define JNEURON_NRT_DECLS_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t nrt_status_code;   /* NRT_STATUS is an int-sized C enum */

enum {
    JN_NRT_SUCCESS = 0,
    JN_NRT_FAILURE = 1,
    JN_NRT_INVALID = 2,
    JN_NRT_INVALID_HANDLE = 3,
    JN_NRT_RESOURCE = 4,
    JN_NRT_TIMEOUT = 5,
    JN_NRT_HW_ERROR = 6,
    JN_NRT_QUEUE_FULL = 7,
    JN_NRT_LOAD_NOT_ENOUGH_NC = 9,
    JN_NRT_UNSUPPORTED_NEFF_VERSION = 10,
    JN_NRT_UNINITIALIZED = 13,
    JN_NRT_CLOSED = 14,
    JN_NRT_EXEC_BAD_INPUT = 1002,
    JN_NRT_EXEC_COMPLETED_WITH_NUM_ERR = 1003,
    JN_NRT_EXEC_NC_BUSY = 1005
};

enum { JN_PLACEMENT_DEVICE = 0, JN_PLACEMENT_HOST = 1, JN_PLACEMENT_VIRTUAL = 2 };
enum { JN_FRAMEWORK_NO_FW = 1 };
enum { JN_USAGE_INPUT = 0, JN_USAGE_OUTPUT = 1 };
#define JN_TENSOR_NAME_MAX 256

/* Opaque handles: the runtime owns the memory, we only pass pointers around. */
typedef struct jn_nrt_model jn_nrt_model;
typedef struct jn_nrt_tensor jn_nrt_tensor;
typedef void jn_nrt_tensor_set;    /* the header declares the set as plain void */

typedef struct {
    char name[JN_TENSOR_NAME_MAX];
    int32_t usage;
    size_t size;                   /* bytes */
    int32_t dtype;                 /* numbering changed between releases: never trust it for sizes */
    uint32_t *shape;               /* owned by the enclosing array */
    uint32_t ndim;
} jn_tensor_info;

typedef struct {
    uint64_t tensor_count;
    jn_tensor_info tensor_array[];  /* inputs and outputs mixed, told apart by usage */
} jn_tensor_info_array;

typedef struct {
    uint64_t rt_major, rt_minor, rt_patch, rt_maintenance;
    char rt_detail[128];
    char git_hash[64];
} jn_nrt_version;

_Static_assert(sizeof(jn_tensor_info) == 296, "nrt_tensor_info_t is 296 bytes");
_Static_assert(offsetof(jn_tensor_info, usage) == 256, "usage@256");
_Static_assert(offsetof(jn_tensor_info, size) == 264, "size@264");
_Static_assert(offsetof(jn_tensor_info, dtype) == 272, "dtype@272");
_Static_assert(offsetof(jn_tensor_info, shape) == 280, "shape@280");
_Static_assert(offsetof(jn_tensor_info, ndim) == 288, "ndim@288");
_Static_assert(offsetof(jn_tensor_info_array, tensor_array) == 8, "array@8");
_Static_assert(sizeof(jn_nrt_version) == 224, "nrt_version_t is 224 bytes");

/*
 * Function pointer types for every symbol the shim looks up. The stand-in defines
 * functions with exactly these signatures under the real names.
 */
typedef nrt_status_code (*fn_nrt_init)(int32_t framework, const char *fw_version, const char *fal_version);
typedef void (*fn_nrt_close)(void);
typedef nrt_status_code (*fn_nrt_load)(const void *neff, size_t size, int32_t vnc, int32_t vnc_count,
                                       jn_nrt_model **model);
typedef nrt_status_code (*fn_nrt_unload)(jn_nrt_model *model);
typedef nrt_status_code (*fn_nrt_execute)(jn_nrt_model *model, const jn_nrt_tensor_set *in, jn_nrt_tensor_set *out);
typedef nrt_status_code (*fn_nrt_allocate_tensor_set)(jn_nrt_tensor_set **result);
typedef void (*fn_nrt_destroy_tensor_set)(jn_nrt_tensor_set **set);
typedef nrt_status_code (*fn_nrt_add_tensor_to_tensor_set)(jn_nrt_tensor_set *set, const char *name, jn_nrt_tensor *t);
typedef nrt_status_code (*fn_nrt_get_tensor_from_tensor_set)(jn_nrt_tensor_set *set, const char *name,
                                                             jn_nrt_tensor **t);
typedef nrt_status_code (*fn_nrt_tensor_allocate)(int32_t placement, int vnc, size_t size, const char *name,
                                                  jn_nrt_tensor **t);
typedef void (*fn_nrt_tensor_free)(jn_nrt_tensor **t);
typedef nrt_status_code (*fn_nrt_tensor_write)(jn_nrt_tensor *t, const void *buf, size_t offset, size_t size);
typedef nrt_status_code (*fn_nrt_tensor_read)(const jn_nrt_tensor *t, void *buf, size_t offset, size_t size);
typedef size_t (*fn_nrt_tensor_get_size)(const jn_nrt_tensor *t);
typedef nrt_status_code (*fn_nrt_tensor_allocate_empty)(const char *name, jn_nrt_tensor **t);
typedef nrt_status_code (*fn_nrt_tensor_attach_buffer)(jn_nrt_tensor *t, void *buffer, size_t size);
typedef nrt_status_code (*fn_nrt_get_model_tensor_info)(jn_nrt_model *model, jn_tensor_info_array **info);
typedef nrt_status_code (*fn_nrt_free_model_tensor_info)(jn_tensor_info_array *info);
typedef nrt_status_code (*fn_nrt_get_version)(jn_nrt_version *ver, size_t size);
typedef nrt_status_code (*fn_nrt_get_nc_count)(uint32_t *count);
typedef const char *(*fn_nrt_get_status_as_str)(nrt_status_code status);

#endif
