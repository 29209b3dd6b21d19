package dev.groundwork.engine.backend;

/**
 * Elementwise z = f(a, b) over broadcast operands. The *_BWD entries are the fused derivatives used
 * by autograd: a is the incoming gradient and b the saved input (or output, as noted), so a backward
 * pass costs one kernel instead of three.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, POW,
    EQ, NE, GT, GE, LT, LE,
    /** g * (x > 0) */ RELU_BWD,
    /** g * gelu'(x), exact erf form */ GELU_BWD,
    /** g * (1 - y^2), y = tanh(x) */ TANH_BWD,
    /** g * y * (1 - y), y = sigmoid(x) */ SIGMOID_BWD
}
