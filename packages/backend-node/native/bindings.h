// The N-API bindings of the kernel files, registered in native/addon.cc. Each takes typed arrays
// (inputs and a preallocated output) plus shapes as plain arrays, and throws a TypeError on
// arguments it does not accept; the TypeScript side only calls them for cases they cover.
#pragma once
#include <node_api.h>

namespace isotropy {
// native/adam.cc
napi_value AdamUpdate(napi_env env, napi_callback_info info);
// native/elementwise.cc
napi_value Binary(napi_env env, napi_callback_info info);
napi_value Sigmoid(napi_env env, napi_callback_info info);
napi_value AddN(napi_env env, napi_callback_info info);
// native/reduce.cc
napi_value Sum(napi_env env, napi_callback_info info);
// native/scatter.cc
napi_value ScatterNd(napi_env env, napi_callback_info info);
// native/pad.cc
napi_value PadV2(napi_env env, napi_callback_info info);
// native/transpose.cc
napi_value Transpose(napi_env env, napi_callback_info info);
// native/bilinear.cc
napi_value BiLinearPlan(napi_env env, napi_callback_info info);
napi_value BiLinear(napi_env env, napi_callback_info info);
napi_value BiLinearGrad(napi_env env, napi_callback_info info);
// native/assemble.cc
napi_value Assemble(napi_env env, napi_callback_info info);
napi_value AssembleGrad(napi_env env, napi_callback_info info);
// native/linear.cc
napi_value LinearPlan(napi_env env, napi_callback_info info);
napi_value Linear(napi_env env, napi_callback_info info);
napi_value LinearGrad(napi_env env, napi_callback_info info);
// native/gate.cc
napi_value Gate(napi_env env, napi_callback_info info);
napi_value GateGrad(napi_env env, napi_callback_info info);
}  // namespace isotropy
