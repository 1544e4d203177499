// Sluice's one native function: glibc's mallopt, so that `sluice serve` can make malloc keep the
// memory a query frees for the next query (src/server/malloc-tuning.ts says why and when).
//
//   tune(mmapThresholdBytes, trimThresholdBytes) -> { supported, mmapThreshold, trimThreshold }
//
// `supported` is false where there is no glibc mallopt (then nothing is changed); the other two
// are mallopt's own results (true: the setting took).
#include <node_api.h>
#include <stdbool.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value make_bool(napi_env env, bool b) {
  napi_value v;
  napi_get_boolean(env, b, &v);
  return v;
}

static napi_value tune(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    napi_throw_type_error(env, NULL, "tune(mmapThresholdBytes, trimThresholdBytes): two numbers expected");
    return NULL;
  }
  int64_t mmap_threshold = 0, trim_threshold = 0;
  if (napi_get_value_int64(env, argv[0], &mmap_threshold) != napi_ok || napi_get_value_int64(env, argv[1], &trim_threshold) != napi_ok ||
      mmap_threshold < 0 || trim_threshold < 0 || mmap_threshold > 0x7fffffff || trim_threshold > 0x7fffffff) {
    napi_throw_range_error(env, NULL, "tune: thresholds must be numbers of bytes from 0 to 2^31-1");
    return NULL;
  }
  bool supported = false, mmap_ok = false, trim_ok = false;
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
  supported = true;
  mmap_ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) == 1;
  trim_ok = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold) == 1;
#endif
  napi_value out;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "supported", make_bool(env, supported));
  napi_set_named_property(env, out, "mmapThreshold", make_bool(env, mmap_ok));
  napi_set_named_property(env, out, "trimThreshold", make_bool(env, trim_ok));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "tune", NAPI_AUTO_LENGTH, tune, NULL, &fn);
  napi_set_named_property(env, exports, "tune", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
