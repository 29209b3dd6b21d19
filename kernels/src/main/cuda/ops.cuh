// Op codes shared with Java: the ordinals of dev.groundwork.engine.backend.UnaryOp and BinaryOp.
// OpCodesTest parses these two enums and checks them against the Java enums name by name.
#pragma once
#include <math.h>

enum GwUnaryOp {
  U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_ABS, U_SIGN, U_RECIP, U_SQUARE,
  U_RELU, U_GELU, U_TANH, U_SIGMOID, U_ERF,
  U_ADD_SCALAR, U_MUL_SCALAR, U_POW_SCALAR, U_CLAMP, U_CLAMP_MASK, U_NONZERO
};

enum GwBinaryOp {
  B_ADD, B_SUB, B_MUL, B_DIV, B_MAXIMUM, B_MINIMUM, B_POW,
  B_EQ, B_NE, B_GT, B_GE, B_LT, B_LE,
  B_RELU_BWD, B_GELU_BWD, B_TANH_BWD, B_SIGMOID_BWD
};

#define GW_INV_SQRT2 0.70710678118654752440
#define GW_INV_SQRT2PI 0.39894228040143267794

// One formula per op, written once as a template so float32 and float64 share it.
template <typename T>
__device__ __forceinline__ T gw_unary(int op, T x, T p, T q) {
  switch (op) {
    case U_NEG: return -x;
    case U_EXP: return exp(x);
    case U_LOG: return log(x);
    case U_SQRT: return sqrt(x);
    case U_RSQRT: return (T)1 / sqrt(x);
    case U_ABS: return fabs(x);
    case U_SIGN: return x > 0 ? (T)1 : x < 0 ? (T)-1 : x;  // keeps 0 and NaN, like Math.signum
    case U_RECIP: return (T)1 / x;
    case U_SQUARE: return x * x;
    case U_RELU: return x > 0 ? x : (T)0;
    case U_GELU: return (T)0.5 * x * ((T)1 + erf(x * (T)GW_INV_SQRT2));
    case U_TANH: return tanh(x);
    case U_SIGMOID: return (T)1 / ((T)1 + exp(-x));
    case U_ERF: return erf(x);
    case U_ADD_SCALAR: return x + p;
    case U_MUL_SCALAR: return x * p;
    case U_POW_SCALAR: return p == (T)2 ? x * x : p == (T)1 ? x : p == (T)0.5 ? sqrt(x) : pow(x, p);
    case U_CLAMP: return isnan(x) ? x : fmin(fmax(x, p), q);
    case U_CLAMP_MASK: return x >= p && x <= q ? (T)1 : (T)0;
    case U_NONZERO: return x != 0 ? (T)1 : (T)0;
  }
  return x;
}

template <typename T>
__device__ __forceinline__ T gw_gelu_grad(T x) {
  return (T)0.5 * ((T)1 + erf(x * (T)GW_INV_SQRT2)) + x * (T)GW_INV_SQRT2PI * exp((T)-0.5 * x * x);
}

template <typename T>
__device__ __forceinline__ T gw_binary(int op, T a, T b) {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_MAXIMUM: return isnan(a) || isnan(b) ? (T)NAN : fmax(a, b);
    case B_MINIMUM: return isnan(a) || isnan(b) ? (T)NAN : fmin(a, b);
    case B_POW: return pow(a, b);
    case B_EQ: return a == b ? (T)1 : (T)0;
    case B_NE: return a != b ? (T)1 : (T)0;
    case B_GT: return a > b ? (T)1 : (T)0;
    case B_GE: return a >= b ? (T)1 : (T)0;
    case B_LT: return a < b ? (T)1 : (T)0;
    case B_LE: return a <= b ? (T)1 : (T)0;
    case B_RELU_BWD: return b > 0 ? a : (T)0;
    case B_GELU_BWD: return a * gw_gelu_grad(b);
    case B_TANH_BWD: return a * ((T)1 - b * b);
    case B_SIGMOID_BWD: return a * b * ((T)1 - b);
  }
  return a;
}
