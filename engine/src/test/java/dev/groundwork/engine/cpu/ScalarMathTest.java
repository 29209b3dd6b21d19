package dev.groundwork.engine.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScalarMathTest {
    @Test void erfMatchesReferenceValues() {
        // Reference values of erf to 16 digits (Abramowitz & Stegun table 7.1 / high-precision tables).
        double[][] ref = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
                {2.0, 0.9953222650189527}, {2.5, 0.9995930479825550}, {3.0, 0.9999779095030014}, {4.0, 0.9999999845827421}};
        for (double[] r : ref) {
            assertEquals(r[1], ScalarMath.erf(r[0]), 1e-15, "erf(" + r[0] + ")");
            assertEquals(-r[1], ScalarMath.erf(-r[0]), 1e-15, "erf(-" + r[0] + ")");
        }
        assertEquals(0.0, ScalarMath.erf(0.0));
    }

    @Test void geluGradIsTheDerivative() {
        for (double x = -5; x <= 5; x += 0.37) {
            double h = 1e-6, num = (ScalarMath.gelu(x + h) - ScalarMath.gelu(x - h)) / (2 * h);
            assertEquals(num, ScalarMath.geluGrad(x), 1e-8, "x=" + x);
        }
    }
}
