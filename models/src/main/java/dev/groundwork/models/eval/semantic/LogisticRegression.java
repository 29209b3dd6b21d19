package dev.groundwork.models.eval.semantic;

import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.ConjugateGradient;
import org.hipparchus.linear.RealLinearOperator;
import org.hipparchus.linear.RealVector;

/**
 * L2-regularised binary logistic regression with scikit-learn's objective,
 * {@code f(w, b) = ½‖w‖² + C Σᵢ log(1 + exp(−yᵢ (w·xᵢ + b)))} with y in {−1, +1} and the intercept b not
 * penalised, fitted as scikit-learn's {@code newton-cg} solver does: Newton steps whose linear system
 * {@code H Δ = −∇f} is solved by conjugate gradients on Hessian-vector products (Hipparchus's
 * {@link ConjugateGradient} over a {@link RealLinearOperator}, so the D x D Hessian is never formed),
 * each step shortened by backtracking until f decreases enough (Armijo). It stops when no gradient
 * component exceeds 1e-4, scikit-learn's default tolerance on this same unnormalised objective. The
 * objective is strictly convex in w, so the result does not depend on the start.
 *
 * @param weights   w, one per input column
 * @param intercept b
 */
public record LogisticRegression(double[] weights, double intercept) {
    static final double GRADIENT_TOLERANCE = 1e-4;
    static final int MAX_NEWTON_STEPS = 100, MAX_CG_STEPS = 200;

    /** Fits rows {@code x} with labels {@code y} (true = positive) at inverse regularisation {@code c}, from zero. */
    public static LogisticRegression fit(double[][] x, boolean[] y, double c) { return fit(x, y, c, null); }

    /** As {@link #fit(double[][], boolean[], double)} starting from {@code start} (a nearby fit), or from zero when null. */
    public static LogisticRegression fit(double[][] x, boolean[] y, double c, LogisticRegression start) {
        Problem p = new Problem(x, y, c);
        int d = p.d;
        double[] theta = new double[d + 1];
        if (start != null) {
            System.arraycopy(start.weights(), 0, theta, 0, d);
            theta[d] = start.intercept();
        }
        double[] z = p.margins(theta);
        double f = p.value(theta, z);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            double[] grad = p.gradient(theta, z);
            if (maxAbs(grad) <= GRADIENT_TOLERANCE) break;
            double[] h = p.curvature(z);
            RealVector dir = new ConjugateGradient(MAX_CG_STEPS, 1e-2, false)
                    .solve(p.hessian(h), new ArrayRealVector(grad, false).mapMultiply(-1));
            double slope = dir.dotProduct(new ArrayRealVector(grad, false));
            double t = 1;
            double[] next = null, nz = null;
            double nf = f;
            for (int back = 0; back < 40; back++, t *= 0.5) {
                next = theta.clone();
                for (int j = 0; j <= d; j++) next[j] += t * dir.getEntry(j);
                nz = p.margins(next);
                nf = p.value(next, nz);
                if (nf <= f + 1e-4 * t * slope) break;
            }
            if (!(nf < f)) break;   // no decrease left at double precision: as close as it gets
            theta = next;
            z = nz;
            f = nf;
        }
        return new LogisticRegression(java.util.Arrays.copyOf(theta, d), theta[d]);
    }

    /** Whether the model puts {@code x} on the positive side (probability above one half). */
    public boolean predict(double[] x) {
        double s = intercept;
        for (int j = 0; j < weights.length; j++) s += weights[j] * x[j];
        return s > 0;
    }

    /** The data and C; theta = (w, b), margins z = X w + b. */
    private static final class Problem {
        final double[][] x;
        final double[] sign;
        final double c;
        final int n, d;

        Problem(double[][] x, boolean[] y, double c) {
            this.x = x;
            this.c = c;
            this.n = x.length;
            this.d = x[0].length;
            this.sign = new double[n];
            for (int i = 0; i < n; i++) sign[i] = y[i] ? 1 : -1;
        }

        double[] margins(double[] theta) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) z[i] = Gram.dot(x[i], theta, d) + theta[d];
            return z;
        }

        double value(double[] theta, double[] z) {
            double loss = 0, reg = 0;
            for (int i = 0; i < n; i++) loss += softplus(-sign[i] * z[i]);
            for (int j = 0; j < d; j++) reg += theta[j] * theta[j];
            return 0.5 * reg + c * loss;
        }

        double[] gradient(double[] theta, double[] z) {
            double[] g = new double[d + 1];
            System.arraycopy(theta, 0, g, 0, d);
            for (int i = 0; i < n; i++) {
                double t = -c * sign[i] * sigmoid(-sign[i] * z[i]);   // d/dz of C softplus(-s z)
                double[] xi = x[i];
                for (int j = 0; j < d; j++) g[j] += t * xi[j];
                g[d] += t;
            }
            return g;
        }

        /** C p (1 - p) per row: the loss's second derivative in z. */
        double[] curvature(double[] z) {
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(z[i]);
                h[i] = c * p * (1 - p);
            }
            return h;
        }

        /** v -> [v_w + X^T (h ∘ (X v_w + v_b)); sum(h ∘ (X v_w + v_b))]: the Hessian, never formed. */
        RealLinearOperator hessian(double[] h) {
            return new RealLinearOperator() {
                @Override public int getRowDimension() { return d + 1; }

                @Override public int getColumnDimension() { return d + 1; }

                @Override
                public RealVector operate(RealVector v) {
                    double[] a = v.toArray(), out = new double[d + 1];
                    System.arraycopy(a, 0, out, 0, d);
                    for (int i = 0; i < n; i++) {
                        double t = h[i] * (Gram.dot(x[i], a, d) + a[d]);
                        double[] xi = x[i];
                        for (int j = 0; j < d; j++) out[j] += t * xi[j];
                        out[d] += t;
                    }
                    return new ArrayRealVector(out, false);
                }
            };
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }

    static double softplus(double t) { return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))); }

    static double sigmoid(double t) {
        if (t >= 0) return 1 / (1 + Math.exp(-t));
        double e = Math.exp(t);
        return e / (1 + e);
    }
}
