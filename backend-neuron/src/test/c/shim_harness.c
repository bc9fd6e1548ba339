/*
 * Drives the JNI shim's entry points without a JVM, so valgrind can check the shim and the stand-in
 * for leaks and memory errors (LeakSanitizer cannot stop a JVM's threads). A minimal JNIEnv
 * implements only the functions the shim calls; Java objects are small tagged structs.
 * Usage: shim_harness SHIM.so STANDIN.so CYCLES
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { STR, BYTES, LONGS, INTS, OBJS, DIRECT };
typedef struct { enum kind kind; jsize len; void *data; } obj;

static obj *made[64];
static int nmade;

static obj *mk(enum kind k, jsize len, void *data) {
    obj *o = calloc(1, sizeof *o);
    *o = (obj) {k, len, data};
    return o;
}
static void track(obj *o) { if (nmade < 64) made[nmade++] = o; }
static void drop_made(void) {
    for (int i = 0; i < nmade; i++) { free(made[i]->data); free(made[i]); }
    nmade = 0;
}

static const char *get_utf(JNIEnv *e, jstring s, jboolean *c) { (void) e; (void) c; return ((obj *) s)->data; }
static void rel_utf(JNIEnv *e, jstring s, const char *p) { (void) e; (void) s; (void) p; }
static jstring new_utf(JNIEnv *e, const char *s) { (void) e; obj *o = mk(STR, 0, strdup(s)); track(o); return (jstring) o; }
static jsize arr_len(JNIEnv *e, jarray a) { (void) e; return ((obj *) a)->len; }
static void set_longs(JNIEnv *e, jlongArray a, jsize s, jsize n, const jlong *b) {
    (void) e; memcpy((jlong *) ((obj *) a)->data + s, b, sizeof(jlong) * (size_t) n);
}
static void set_ints(JNIEnv *e, jintArray a, jsize s, jsize n, const jint *b) {
    (void) e; memcpy((jint *) ((obj *) a)->data + s, b, sizeof(jint) * (size_t) n);
}
static jbyte *get_bytes(JNIEnv *e, jbyteArray a, jboolean *c) {
    (void) e; (void) c;
    obj *o = (obj *) a;
    jbyte *copy = malloc((size_t) o->len + 1);   /* a copy, like most JVMs */
    memcpy(copy, o->data, (size_t) o->len);
    return copy;
}
static void rel_bytes(JNIEnv *e, jbyteArray a, jbyte *p, jint mode) {
    (void) e;
    if (mode != JNI_ABORT) memcpy(((obj *) a)->data, p, (size_t) ((obj *) a)->len);
    free(p);
}
static void *direct_addr(JNIEnv *e, jobject b) { (void) e; return ((obj *) b)->kind == DIRECT ? ((obj *) b)->data : NULL; }
static jlong direct_cap(JNIEnv *e, jobject b) { (void) e; return ((obj *) b)->kind == DIRECT ? ((obj *) b)->len : -1; }
static jbyteArray new_bytes(JNIEnv *e, jsize n) { (void) e; obj *o = mk(BYTES, n, calloc(1, (size_t) n + 1)); track(o); return (jbyteArray) o; }
static void set_bytes(JNIEnv *e, jbyteArray a, jsize s, jsize n, const jbyte *b) {
    (void) e; memcpy((jbyte *) ((obj *) a)->data + s, b, (size_t) n);
}
static void get_region(JNIEnv *e, jbyteArray a, jsize s, jsize n, jbyte *b) {
    (void) e; memcpy(b, (jbyte *) ((obj *) a)->data + s, (size_t) n);
}
static void set_elem(JNIEnv *e, jobjectArray a, jsize i, jobject v) { (void) e; ((jobject *) ((obj *) a)->data)[i] = v; }

typedef jint (*fn_status)();
#define F(name) fn_status name = (fn_status) dlsym(shim, "Java_io_jneuron_neuron_NrtLibrary_" #name)
#define CHECK(x) do { jint st_ = (x); if (st_ != 0) { fprintf(stderr, "%s -> %d\n", #x, st_); return 1; } } while (0)

/* A NEFF: the 1024-byte header, then a ustar archive holding standin.spec. */
static unsigned char *make_neff(size_t *len) {
    const char *spec = "function add_f32\ninput a float32 4 4\ninput b float32 4 4\noutput out float32 4 4\n";
    size_t slen = strlen(spec), data = 512 + (slen + 511) / 512 * 512 + 1024;
    unsigned char *b = calloc(1, 1024 + data);
    uint64_t fields[3] = {1, 1024, data};
    memcpy(b, fields, sizeof fields);   /* x86_64 is little-endian, as the format is */
    unsigned char *h = b + 1024;
    strcpy((char *) h, "standin.spec");
    snprintf((char *) h + 124, 12, "%011zo", slen);
    h[156] = '0';
    memcpy(h + 512, spec, slen);
    *len = 1024 + data;
    return b;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: shim_harness SHIM.so STANDIN.so CYCLES\n"); return 2; }
    struct JNINativeInterface_ fns;
    memset(&fns, 0, sizeof fns);
    fns.GetStringUTFChars = get_utf; fns.ReleaseStringUTFChars = rel_utf; fns.NewStringUTF = new_utf;
    fns.GetArrayLength = arr_len; fns.SetLongArrayRegion = set_longs; fns.SetIntArrayRegion = set_ints;
    fns.GetByteArrayElements = get_bytes; fns.ReleaseByteArrayElements = rel_bytes;
    fns.GetDirectBufferAddress = direct_addr; fns.GetDirectBufferCapacity = direct_cap;
    fns.NewByteArray = new_bytes; fns.SetByteArrayRegion = set_bytes; fns.GetByteArrayRegion = get_region;
    fns.SetObjectArrayElement = set_elem;
    const struct JNINativeInterface_ *envp = &fns;
    JNIEnv *env = (JNIEnv *) &envp;

    void *shim = dlopen(argv[1], RTLD_NOW);
    if (shim == NULL) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    F(nOpen); F(nInit); F(nClose); F(nLoadArray); F(nLoadBuffer); F(nTensorInfo); F(nUnload); F(nSetAllocate);
    F(nSetAdd); F(nSetDestroy); F(nTensorAllocate); F(nTensorAllocateEmpty); F(nTensorAttach); F(nTensorFree);
    F(nTensorCopyArray); F(nTensorCopyBuffer); F(nExecute); F(nVersion);
    obj path = {STR, 0, argv[2]};
    if (((jstring (*)(JNIEnv *, jclass, jstring)) nOpen)(env, NULL, (jstring) &path) != NULL) {
        fprintf(stderr, "nOpen failed\n");
        return 1;
    }
    drop_made();
    CHECK(nInit(env, NULL));
    size_t neff_len;
    unsigned char *neff = make_neff(&neff_len);
    obj neff_arr = {BYTES, (jsize) neff_len, neff}, neff_buf = {DIRECT, (jsize) neff_len, neff};
    jlong hv[1];
    obj out = {LONGS, 1, hv};
    jobject slot[1];
    obj slots = {OBJS, 1, slot};
    float host[16], result[16];
    obj host_arr = {BYTES, sizeof host, host}, res_buf = {DIRECT, sizeof result, result};
    obj na = {STR, 0, "a"}, nb = {STR, 0, "b"}, nout = {STR, 0, "out"};
    for (int i = 0; i < 16; i++) host[i] = (float) i;
    int cycles = atoi(argv[3]);
    for (int c = 0; c < cycles; c++) {
        CHECK(c % 2 ? nLoadArray(env, NULL, &neff_arr, 0, -1, &out) : nLoadBuffer(env, NULL, &neff_buf, (jlong) neff_len, 0, -1, &out));
        jlong model = hv[0];
        CHECK(nTensorInfo(env, NULL, model, &slots));
        drop_made();
        CHECK(nSetAllocate(env, NULL, &out)); jlong in = hv[0];
        CHECK(nSetAllocate(env, NULL, &out)); jlong os = hv[0];
        CHECK(nTensorAllocate(env, NULL, 0, 0, (jlong) sizeof host, &na, &out)); jlong ta = hv[0];
        CHECK(nTensorAllocate(env, NULL, 0, 0, (jlong) sizeof host, &nb, &out)); jlong tb = hv[0];
        CHECK(nTensorAllocateEmpty(env, NULL, &nout, &out)); jlong to = hv[0];
        CHECK(nTensorAttach(env, NULL, to, &res_buf));
        CHECK(nTensorCopyArray(env, NULL, (jboolean) 1, ta, &host_arr, 0, (jlong) 0, (jint) sizeof host));
        CHECK(nTensorCopyArray(env, NULL, (jboolean) 1, tb, &host_arr, 0, (jlong) 0, (jint) sizeof host));
        CHECK(nSetAdd(env, NULL, in, &na, ta)); CHECK(nSetAdd(env, NULL, in, &nb, tb)); CHECK(nSetAdd(env, NULL, os, &nout, to));
        CHECK(nExecute(env, NULL, model, in, os));
        if (result[15] != 30.0f) { fprintf(stderr, "wrong result %f\n", result[15]); return 1; }
        CHECK(nTensorCopyBuffer(env, NULL, (jboolean) 0, ta, &res_buf, (jlong) 0, (jlong) 0, (jlong) sizeof result));
        ((void (*)(JNIEnv *, jclass, jlong)) nSetDestroy)(env, NULL, in);
        ((void (*)(JNIEnv *, jclass, jlong)) nSetDestroy)(env, NULL, os);
        ((void (*)(JNIEnv *, jclass, jlong)) nTensorFree)(env, NULL, ta);
        ((void (*)(JNIEnv *, jclass, jlong)) nTensorFree)(env, NULL, tb);
        ((void (*)(JNIEnv *, jclass, jlong)) nTensorFree)(env, NULL, to);
        CHECK(nUnload(env, NULL, model));
    }
    jlong nums[4];
    obj numa = {LONGS, 4, nums};
    jobject strs[2];
    obj stra = {OBJS, 2, strs};
    CHECK(nVersion(env, NULL, &numa, &stra));
    printf("%d cycles; %s\n", cycles, (const char *) ((obj *) strs[0])->data);
    drop_made();
    ((void (*)(JNIEnv *, jclass)) nClose)(env, NULL);
    free(neff);
    dlclose(shim);
    return 0;
}
