package dev.groundwork.engine.backend;

/**
 * Elementwise maps y = f(x; p, q). Backends implement each one as a kernel; the parameters p and q
 * carry the scalar operands (a constant to add, an exponent, clamp bounds).
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, ABS, SIGN, RECIP, SQUARE,
    RELU, GELU, TANH, SIGMOID, ERF,
    /** x + p */ ADD_SCALAR,
    /** x * p */ MUL_SCALAR,
    /** x ^ p */ POW_SCALAR,
    /** min(max(x, p), q) */ CLAMP,
    /** 1 where p <= x <= q else 0: the derivative of CLAMP */ CLAMP_MASK,
    /** 1 where x != 0 else 0 */ NONZERO
}
