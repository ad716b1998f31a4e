// Small N-API helpers shared by the addon's translation units: argument checks that throw a JS
// TypeError (and return nullptr from the binding), and typed-array views.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace isotropy {

#define ISO_CHECK(call)                                                      \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, nullptr, "isotropy addon: " #call " failed");    \
      return nullptr;                                                        \
    }                                                                        \
  } while (0)

inline napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

// A typed array's element type, base pointer and length (in elements).
struct View {
  napi_typedarray_type type = napi_uint8_array;
  void* data = nullptr;
  size_t length = 0;
  bool f32() const { return type == napi_float32_array; }
  bool i32() const { return type == napi_int32_array; }
};

inline bool get_view(napi_env env, napi_value v, View* out) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  return napi_get_typedarray_info(env, v, &out->type, &out->length, &out->data, nullptr,
                                  nullptr) == napi_ok;
}

// Reads a JS array of non-negative integers (a shape, strides, axes) into `out`.
inline bool get_dims(napi_env env, napi_value v, std::vector<int64_t>* out) {
  bool is_arr = false;
  if (napi_is_array(env, v, &is_arr) != napi_ok || !is_arr) return false;
  uint32_t n = 0;
  if (napi_get_array_length(env, v, &n) != napi_ok) return false;
  out->resize(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    double d = 0;
    if (napi_get_element(env, v, i, &e) != napi_ok || napi_get_value_double(env, e, &d) != napi_ok)
      return false;
    if (!(d >= 0) || d > 9007199254740991.0) return false;
    (*out)[i] = static_cast<int64_t>(d);
  }
  return true;
}

inline int64_t product(const std::vector<int64_t>& dims) {
  int64_t p = 1;
  for (int64_t d : dims) p *= d;
  return p;
}

}  // namespace isotropy
