/*
 * JNI shim between io.jneuron.neuron.NrtLibrary and libnrt.so.1.
 *
 * libnrt is never linked: NrtLibrary picks a path (override, Neuron install path, loader search
 * path) and we dlopen it, so the shim loads on machines without Neuron and a stand-in can be
 * swapped in. Stable symbols are required, later ones optional (spec section 1.9).
 *
 * Every entry point checks its arguments and returns a status instead of crashing: a null
 * handle, a heap buffer where a direct one is needed, or an out-of-range copy gives
 * JN_BAD_ARGUMENT; an absent library gives JN_NOT_LOADED; a missing optional symbol gives
 * JN_NO_SYMBOL. Lifetime (no use after free) is enforced on the Java side, which holds a lock per
 * handle around every call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nrt_decls.h"

#define JN_NOT_LOADED (-1)
#define JN_NO_SYMBOL (-2)
#define JN_BAD_ARGUMENT (-3)
#define MAX_DIMS 64

static struct {
    void *lib;
    fn_nrt_init init;
    fn_nrt_close close;
    fn_nrt_load load;
    fn_nrt_unload unload;
    fn_nrt_execute execute;
    fn_nrt_allocate_tensor_set set_allocate;
    fn_nrt_destroy_tensor_set set_destroy;
    fn_nrt_add_tensor_to_tensor_set set_add;
    fn_nrt_get_tensor_from_tensor_set set_get;
    fn_nrt_tensor_allocate tensor_allocate;
    fn_nrt_tensor_free tensor_free;
    fn_nrt_tensor_write tensor_write;
    fn_nrt_tensor_read tensor_read;
    fn_nrt_tensor_get_size tensor_size;
    fn_nrt_tensor_allocate_empty tensor_allocate_empty;
    fn_nrt_tensor_attach_buffer tensor_attach;
    fn_nrt_get_model_tensor_info info_get;
    fn_nrt_free_model_tensor_info info_free;
    fn_nrt_get_version version;
    fn_nrt_get_nc_count total_nc;
    fn_nrt_get_nc_count visible_nc;
    /* optional: added after 2022 */
    fn_nrt_get_status_as_str status_str;
    fn_nrt_get_nc_count total_vnc;
    fn_nrt_get_nc_count visible_vnc;
} nrt;

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

#define JNI_FN(name) JNICALL Java_io_jneuron_neuron_NrtLibrary_##name
#define REQUIRE(fn) do { if (nrt.fn == NULL) return JN_NOT_LOADED; } while (0)

/* Resolves one symbol; a missing required one is reported by name so the user sees what is wrong. */
static void *lookup(void *lib, const char *name, int required, char *missing, size_t cap) {
    void *p = dlsym(lib, name);
    if (p == NULL && required) {
        size_t used = strlen(missing);
        snprintf(missing + used, cap - used, "%s%s", used ? ", " : "", name);
    }
    return p;
}

JNIEXPORT jstring JNI_FN(nOpen)(JNIEnv *env, jclass cls, jstring jpath) {
    (void) cls;
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    if (path == NULL) return (*env)->NewStringUTF(env, "out of memory reading the library path");
    char message[1024] = {0};
    pthread_mutex_lock(&open_lock);
    if (nrt.lib != NULL) {
        snprintf(message, sizeof message, "a libnrt is already loaded; it cannot be swapped within one process");
    } else {
        void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL) {
            const char *err = dlerror();
            snprintf(message, sizeof message, "%s", err ? err : "dlopen failed");
        } else {
            char missing[768] = {0};
#define REQ(field, sym) nrt.field = (__typeof__(nrt.field)) lookup(lib, sym, 1, missing, sizeof missing)
#define OPT(field, sym) nrt.field = (__typeof__(nrt.field)) lookup(lib, sym, 0, missing, sizeof missing)
            REQ(init, "nrt_init"); REQ(close, "nrt_close"); REQ(load, "nrt_load"); REQ(unload, "nrt_unload");
            REQ(execute, "nrt_execute"); REQ(set_allocate, "nrt_allocate_tensor_set");
            REQ(set_destroy, "nrt_destroy_tensor_set"); REQ(set_add, "nrt_add_tensor_to_tensor_set");
            REQ(set_get, "nrt_get_tensor_from_tensor_set"); REQ(tensor_allocate, "nrt_tensor_allocate");
            REQ(tensor_free, "nrt_tensor_free"); REQ(tensor_write, "nrt_tensor_write");
            REQ(tensor_read, "nrt_tensor_read"); REQ(tensor_size, "nrt_tensor_get_size");
            REQ(tensor_allocate_empty, "nrt_tensor_allocate_empty"); REQ(tensor_attach, "nrt_tensor_attach_buffer");
            REQ(info_get, "nrt_get_model_tensor_info"); REQ(info_free, "nrt_free_model_tensor_info");
            REQ(version, "nrt_get_version"); REQ(total_nc, "nrt_get_total_nc_count");
            REQ(visible_nc, "nrt_get_visible_nc_count");
            OPT(status_str, "nrt_get_status_as_str"); OPT(total_vnc, "nrt_get_total_vnc_count");
            OPT(visible_vnc, "nrt_get_visible_vnc_count");
#undef REQ
#undef OPT
            if (missing[0] != '\0') {
                snprintf(message, sizeof message, "%s lacks required symbols: %s", path, missing);
                memset(&nrt, 0, sizeof nrt);
                dlclose(lib);
            } else {
                nrt.lib = lib;
            }
        }
    }
    pthread_mutex_unlock(&open_lock);
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return message[0] ? (*env)->NewStringUTF(env, message) : NULL;
}

JNIEXPORT jboolean JNI_FN(nHasSymbol)(JNIEnv *env, jclass cls, jstring jname) {
    (void) cls;
    if (nrt.lib == NULL) return JNI_FALSE;
    const char *name = (*env)->GetStringUTFChars(env, jname, NULL);
    if (name == NULL) return JNI_FALSE;
    jboolean found = dlsym(nrt.lib, name) != NULL;
    (*env)->ReleaseStringUTFChars(env, jname, name);
    return found;
}

/* The runtime reads NEURON_RT_* in nrt_init; Java cannot change its own environment. */
JNIEXPORT jint JNI_FN(nSetenv)(JNIEnv *env, jclass cls, jstring jname, jstring jvalue) {
    (void) cls;
    const char *name = (*env)->GetStringUTFChars(env, jname, NULL);
    if (name == NULL) return JN_BAD_ARGUMENT;
    int rc;
    if (jvalue == NULL) {
        rc = unsetenv(name);
    } else {
        const char *value = (*env)->GetStringUTFChars(env, jvalue, NULL);
        rc = value == NULL ? -1 : setenv(name, value, 1);
        if (value != NULL) (*env)->ReleaseStringUTFChars(env, jvalue, value);
    }
    (*env)->ReleaseStringUTFChars(env, jname, name);
    return rc == 0 ? 0 : errno;
}

JNIEXPORT jint JNI_FN(nInit)(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    REQUIRE(init);
    return nrt.init(JN_FRAMEWORK_NO_FW, "", "");
}

JNIEXPORT void JNI_FN(nClose)(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    if (nrt.close != NULL) nrt.close();
}

JNIEXPORT jint JNI_FN(nVersion)(JNIEnv *env, jclass cls, jlongArray nums, jobjectArray strs) {
    (void) cls;
    REQUIRE(version);
    if (nums == NULL || strs == NULL || (*env)->GetArrayLength(env, nums) < 4
            || (*env)->GetArrayLength(env, strs) < 2) return JN_BAD_ARGUMENT;
    jn_nrt_version v;
    memset(&v, 0, sizeof v);
    nrt_status_code st = nrt.version(&v, sizeof v);
    if (st != JN_NRT_SUCCESS) return st;
    v.rt_detail[sizeof v.rt_detail - 1] = '\0';
    v.git_hash[sizeof v.git_hash - 1] = '\0';
    jlong parts[4] = {(jlong) v.rt_major, (jlong) v.rt_minor, (jlong) v.rt_patch, (jlong) v.rt_maintenance};
    (*env)->SetLongArrayRegion(env, nums, 0, 4, parts);
    jstring detail = (*env)->NewStringUTF(env, v.rt_detail);
    if (detail == NULL) return JN_BAD_ARGUMENT;
    (*env)->SetObjectArrayElement(env, strs, 0, detail);
    jstring hash = (*env)->NewStringUTF(env, v.git_hash);
    if (hash == NULL) return JN_BAD_ARGUMENT;
    (*env)->SetObjectArrayElement(env, strs, 1, hash);
    return JN_NRT_SUCCESS;
}

/* Prefers the 2026 vnc names when present; the nc names are deprecated but stable. */
JNIEXPORT jint JNI_FN(nCoreCount)(JNIEnv *env, jclass cls, jboolean visible, jintArray out) {
    (void) cls;
    REQUIRE(total_nc);
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) return JN_BAD_ARGUMENT;
    fn_nrt_get_nc_count fn = visible ? (nrt.visible_vnc ? nrt.visible_vnc : nrt.visible_nc)
                                     : (nrt.total_vnc ? nrt.total_vnc : nrt.total_nc);
    uint32_t count = 0;
    nrt_status_code st = fn(&count);
    if (st == JN_NRT_SUCCESS) {
        jint c = (jint) count;
        (*env)->SetIntArrayRegion(env, out, 0, 1, &c);
    }
    return st;
}

JNIEXPORT jstring JNI_FN(nStatusString)(JNIEnv *env, jclass cls, jint code) {
    (void) cls;
    if (nrt.status_str == NULL) return NULL;
    const char *s = nrt.status_str(code);
    return s == NULL ? NULL : (*env)->NewStringUTF(env, s);
}

static jint put_handle(JNIEnv *env, jlongArray out, void *handle) {
    jlong h = (jlong) (intptr_t) handle;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    return JN_NRT_SUCCESS;
}

static int bad_out(JNIEnv *env, jlongArray out) {
    return out == NULL || (*env)->GetArrayLength(env, out) < 1;
}

JNIEXPORT jint JNI_FN(nLoadArray)(JNIEnv *env, jclass cls, jbyteArray neff, jint vnc, jint vncCount, jlongArray out) {
    (void) cls;
    REQUIRE(load);
    if (neff == NULL || bad_out(env, out)) return JN_BAD_ARGUMENT;
    jsize len = (*env)->GetArrayLength(env, neff);
    jbyte *bytes = (*env)->GetByteArrayElements(env, neff, NULL);
    if (bytes == NULL) return JN_BAD_ARGUMENT;
    jn_nrt_model *model = NULL;
    nrt_status_code st = nrt.load(bytes, (size_t) len, vnc, vncCount, &model);
    (*env)->ReleaseByteArrayElements(env, neff, bytes, JNI_ABORT);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, model);
    return st;
}

/* A direct or memory-mapped buffer: the runtime reads the NEFF in place, no Java copy. */
JNIEXPORT jint JNI_FN(nLoadBuffer)(JNIEnv *env, jclass cls, jobject neff, jlong size, jint vnc, jint vncCount,
                                   jlongArray out) {
    (void) cls;
    REQUIRE(load);
    if (neff == NULL || bad_out(env, out) || size < 0) return JN_BAD_ARGUMENT;
    void *bytes = (*env)->GetDirectBufferAddress(env, neff);
    if (bytes == NULL || size > (*env)->GetDirectBufferCapacity(env, neff)) return JN_BAD_ARGUMENT;
    jn_nrt_model *model = NULL;
    nrt_status_code st = nrt.load(bytes, (size_t) size, vnc, vncCount, &model);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, model);
    return st;
}

JNIEXPORT jint JNI_FN(nUnload)(JNIEnv *env, jclass cls, jlong model) {
    (void) env; (void) cls;
    REQUIRE(unload);
    if (model == 0) return JN_BAD_ARGUMENT;
    return nrt.unload((jn_nrt_model *) (intptr_t) model);
}

/*
 * Flattens the runtime's info array into a Java byte[] (native byte order) and frees the array
 * at once, so the runtime's allocation never escapes this call. Per entry: name[256], int32 usage,
 * int32 dtype, uint64 size, uint32 ndim, uint32 dims[ndim]; preceded by a uint32 count.
 */
JNIEXPORT jint JNI_FN(nTensorInfo)(JNIEnv *env, jclass cls, jlong model, jobjectArray out) {
    (void) cls;
    REQUIRE(info_get);
    if (model == 0 || out == NULL || (*env)->GetArrayLength(env, out) < 1) return JN_BAD_ARGUMENT;
    jn_tensor_info_array *info = NULL;
    nrt_status_code st = nrt.info_get((jn_nrt_model *) (intptr_t) model, &info);
    if (st != JN_NRT_SUCCESS) return st;
    if (info == NULL || info->tensor_count > 65536) {
        if (info != NULL) nrt.info_free(info);
        return JN_NRT_INVALID;
    }
    size_t total = 4;
    for (uint64_t i = 0; i < info->tensor_count; i++) {
        const jn_tensor_info *t = &info->tensor_array[i];
        uint32_t nd = t->shape == NULL || t->ndim > MAX_DIMS ? 0 : t->ndim;
        total += JN_TENSOR_NAME_MAX + 4 + 4 + 8 + 4 + 4 * (size_t) nd;
    }
    unsigned char *buf = calloc(1, total);
    if (buf == NULL) {
        nrt.info_free(info);
        return JN_NRT_RESOURCE;
    }
    unsigned char *p = buf;
    uint32_t count = (uint32_t) info->tensor_count;
    memcpy(p, &count, 4); p += 4;
    for (uint64_t i = 0; i < info->tensor_count; i++) {
        const jn_tensor_info *t = &info->tensor_array[i];
        uint32_t nd = t->shape == NULL || t->ndim > MAX_DIMS ? 0 : t->ndim;
        uint64_t size = t->size;
        memcpy(p, t->name, JN_TENSOR_NAME_MAX); p[JN_TENSOR_NAME_MAX - 1] = 0; p += JN_TENSOR_NAME_MAX;
        memcpy(p, &t->usage, 4); p += 4;
        memcpy(p, &t->dtype, 4); p += 4;
        memcpy(p, &size, 8); p += 8;
        memcpy(p, &nd, 4); p += 4;
        if (nd > 0) { memcpy(p, t->shape, 4 * (size_t) nd); p += 4 * (size_t) nd; }
    }
    nrt.info_free(info);
    jbyteArray arr = (*env)->NewByteArray(env, (jsize) total);
    if (arr != NULL) {
        (*env)->SetByteArrayRegion(env, arr, 0, (jsize) total, (const jbyte *) buf);
        (*env)->SetObjectArrayElement(env, out, 0, arr);
    }
    free(buf);
    return arr == NULL ? JN_NRT_RESOURCE : JN_NRT_SUCCESS;
}

JNIEXPORT jint JNI_FN(nExecute)(JNIEnv *env, jclass cls, jlong model, jlong in, jlong out) {
    (void) env; (void) cls;
    REQUIRE(execute);
    if (model == 0 || in == 0 || out == 0) return JN_BAD_ARGUMENT;
    return nrt.execute((jn_nrt_model *) (intptr_t) model, (const jn_nrt_tensor_set *) (intptr_t) in,
                       (jn_nrt_tensor_set *) (intptr_t) out);
}

JNIEXPORT jint JNI_FN(nSetAllocate)(JNIEnv *env, jclass cls, jlongArray out) {
    (void) cls;
    REQUIRE(set_allocate);
    if (bad_out(env, out)) return JN_BAD_ARGUMENT;
    jn_nrt_tensor_set *set = NULL;
    nrt_status_code st = nrt.set_allocate(&set);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, set);
    return st;
}

JNIEXPORT void JNI_FN(nSetDestroy)(JNIEnv *env, jclass cls, jlong set) {
    (void) env; (void) cls;
    if (nrt.set_destroy == NULL || set == 0) return;
    jn_nrt_tensor_set *s = (jn_nrt_tensor_set *) (intptr_t) set;
    nrt.set_destroy(&s);
}

JNIEXPORT jint JNI_FN(nSetAdd)(JNIEnv *env, jclass cls, jlong set, jstring jname, jlong tensor) {
    (void) cls;
    REQUIRE(set_add);
    if (set == 0 || tensor == 0 || jname == NULL) return JN_BAD_ARGUMENT;
    const char *name = (*env)->GetStringUTFChars(env, jname, NULL);
    if (name == NULL) return JN_BAD_ARGUMENT;
    nrt_status_code st = nrt.set_add((jn_nrt_tensor_set *) (intptr_t) set, name, (jn_nrt_tensor *) (intptr_t) tensor);
    (*env)->ReleaseStringUTFChars(env, jname, name);
    return st;
}

JNIEXPORT jint JNI_FN(nSetGet)(JNIEnv *env, jclass cls, jlong set, jstring jname, jlongArray out) {
    (void) cls;
    REQUIRE(set_get);
    if (set == 0 || jname == NULL || bad_out(env, out)) return JN_BAD_ARGUMENT;
    const char *name = (*env)->GetStringUTFChars(env, jname, NULL);
    if (name == NULL) return JN_BAD_ARGUMENT;
    jn_nrt_tensor *t = NULL;
    nrt_status_code st = nrt.set_get((jn_nrt_tensor_set *) (intptr_t) set, name, &t);
    (*env)->ReleaseStringUTFChars(env, jname, name);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, t);
    return st;
}

JNIEXPORT jint JNI_FN(nTensorAllocate)(JNIEnv *env, jclass cls, jint placement, jint vnc, jlong size, jstring jname,
                                       jlongArray out) {
    (void) cls;
    REQUIRE(tensor_allocate);
    if (size < 0 || bad_out(env, out)) return JN_BAD_ARGUMENT;
    const char *name = jname == NULL ? NULL : (*env)->GetStringUTFChars(env, jname, NULL);
    jn_nrt_tensor *t = NULL;
    nrt_status_code st = nrt.tensor_allocate(placement, vnc, (size_t) size, name, &t);
    if (name != NULL) (*env)->ReleaseStringUTFChars(env, jname, name);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, t);
    return st;
}

JNIEXPORT jint JNI_FN(nTensorAllocateEmpty)(JNIEnv *env, jclass cls, jstring jname, jlongArray out) {
    (void) cls;
    REQUIRE(tensor_allocate_empty);
    if (bad_out(env, out)) return JN_BAD_ARGUMENT;
    const char *name = jname == NULL ? NULL : (*env)->GetStringUTFChars(env, jname, NULL);
    jn_nrt_tensor *t = NULL;
    nrt_status_code st = nrt.tensor_allocate_empty(name, &t);
    if (name != NULL) (*env)->ReleaseStringUTFChars(env, jname, name);
    if (st == JN_NRT_SUCCESS) put_handle(env, out, t);
    return st;
}

JNIEXPORT void JNI_FN(nTensorFree)(JNIEnv *env, jclass cls, jlong tensor) {
    (void) env; (void) cls;
    if (nrt.tensor_free == NULL || tensor == 0) return;
    jn_nrt_tensor *t = (jn_nrt_tensor *) (intptr_t) tensor;
    nrt.tensor_free(&t);
}

/* Zero copy: the tensor reads and writes the direct buffer itself; Java keeps the buffer alive. */
JNIEXPORT jint JNI_FN(nTensorAttach)(JNIEnv *env, jclass cls, jlong tensor, jobject buffer) {
    (void) cls;
    REQUIRE(tensor_attach);
    if (tensor == 0 || buffer == NULL) return JN_BAD_ARGUMENT;
    void *addr = (*env)->GetDirectBufferAddress(env, buffer);
    jlong cap = (*env)->GetDirectBufferCapacity(env, buffer);
    if (addr == NULL || cap < 0) return JN_BAD_ARGUMENT;
    return nrt.tensor_attach((jn_nrt_tensor *) (intptr_t) tensor, addr, (size_t) cap);
}

JNIEXPORT jlong JNI_FN(nTensorSize)(JNIEnv *env, jclass cls, jlong tensor) {
    (void) env; (void) cls;
    if (nrt.tensor_size == NULL || tensor == 0) return -1;
    return (jlong) nrt.tensor_size((const jn_nrt_tensor *) (intptr_t) tensor);
}

static int range_ok(jlong pos, jlong size, jlong cap) {
    return pos >= 0 && size >= 0 && cap >= 0 && pos <= cap && size <= cap - pos;
}

/* Copies between a tensor and a direct buffer (write != 0: buffer to tensor). */
JNIEXPORT jint JNI_FN(nTensorCopyBuffer)(JNIEnv *env, jclass cls, jboolean write, jlong tensor, jobject buffer,
                                         jlong pos, jlong offset, jlong size) {
    (void) cls;
    REQUIRE(tensor_write);
    if (tensor == 0 || buffer == NULL || offset < 0) return JN_BAD_ARGUMENT;
    unsigned char *addr = (*env)->GetDirectBufferAddress(env, buffer);
    if (addr == NULL || !range_ok(pos, size, (*env)->GetDirectBufferCapacity(env, buffer))) return JN_BAD_ARGUMENT;
    jn_nrt_tensor *t = (jn_nrt_tensor *) (intptr_t) tensor;
    return write ? nrt.tensor_write(t, addr + pos, (size_t) offset, (size_t) size)
                 : nrt.tensor_read(t, addr + pos, (size_t) offset, (size_t) size);
}

/*
 * Copies between a tensor and a byte[]. A bounce buffer rather than a critical region: a real
 * device copy may block on DMA, and a critical region would hold up the garbage collector.
 */
JNIEXPORT jint JNI_FN(nTensorCopyArray)(JNIEnv *env, jclass cls, jboolean write, jlong tensor, jbyteArray array,
                                        jint pos, jlong offset, jint size) {
    (void) cls;
    REQUIRE(tensor_write);
    if (tensor == 0 || array == NULL || offset < 0
            || !range_ok(pos, size, (*env)->GetArrayLength(env, array))) return JN_BAD_ARGUMENT;
    void *tmp = malloc(size > 0 ? (size_t) size : 1);
    if (tmp == NULL) return JN_NRT_RESOURCE;
    jn_nrt_tensor *t = (jn_nrt_tensor *) (intptr_t) tensor;
    nrt_status_code st;
    if (write) {
        (*env)->GetByteArrayRegion(env, array, pos, size, tmp);
        st = nrt.tensor_write(t, tmp, (size_t) offset, (size_t) size);
    } else {
        st = nrt.tensor_read(t, tmp, (size_t) offset, (size_t) size);
        if (st == JN_NRT_SUCCESS) (*env)->SetByteArrayRegion(env, array, pos, size, tmp);
    }
    free(tmp);
    return st;
}
