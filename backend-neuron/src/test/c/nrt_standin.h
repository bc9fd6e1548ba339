/* Internal declarations shared by the stand-in's compilation units. */
#ifndef JNEURON_NRT_STANDIN_H
#define JNEURON_NRT_STANDIN_H
#include "nrt_decls.h"

#define EXPORT __attribute__((visibility("default")))
#define TENSOR_MAGIC 0x7e115012u
#define MODEL_MAGIC 0x30de1u
#define SET_MAGIC 0x5e7u
#define MAX_TENSORS 16
#define MAX_DIMS 8
#define HOST_PLACEMENT_MAX (4u << 20)

struct jn_nrt_tensor { uint32_t magic; int placement; int owns; size_t size; unsigned char *data; };

typedef struct { char name[64]; int usage; int dtype_index; uint32_t ndim; uint32_t dims[MAX_DIMS]; size_t size; } io_spec;

struct jn_nrt_model { uint32_t magic; char function[32]; int vnc; int count; io_spec io[MAX_TENSORS]; };

typedef struct { char *name; jn_nrt_tensor *tensor; } set_entry;
typedef struct { uint32_t magic; int count, cap; set_entry *entries; } tensor_set;

/* name, legacy code (2022-2026/01 headers), hardware code (2.28+ header), element bytes */
typedef struct { const char *name; int legacy, hardware, bytes; } dtype_row;
extern const dtype_row DTYPES[];
extern const int NDTYPES;

enum { UNINIT, OPEN, CLOSED };
extern int standin_state;
extern int standin_hardware_numbering;
extern int standin_visible_count;
extern long live_models, live_tensors, live_sets, live_infos;

void count(long *c, int delta);
int check_state(const char *fn);
int injected(const char *fn);
jn_nrt_tensor *standin_set_find(void *set, const char *name);

#endif
