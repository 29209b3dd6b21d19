package dev.groundwork.engine.ops;

import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.testing.OpCase;
import dev.groundwork.engine.testing.OpCases;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The op table covers the engine's op surface: every public static method of each facade (by name, so
 * one row covers all overloads) and every public Tensor method that returns a tensor, except the few
 * listed below with the reason each cannot be a row. A new op without a row fails here.
 */
class OpCoverageTest {
    /** The public op facades. The VG-BERT ops' own facade joins this list when it leaves F. */
    static final List<Class<?>> FACADES = List.of(F.class, VgBertOps.class);

    /** Tensor methods returning a tensor that are not ops with a backward of their own. */
    static final Map<String, String> TENSOR_EXCLUDED = Map.of(
            "asStrided", "a raw view outside autograd, the building block the view ops are made of",
            "copy_", "in place and outside autograd (optimizer updates, loading weights)",
            "fill_", "in place and outside autograd (initialisation)",
            "detach", "autograd bookkeeping: cuts the graph, computes nothing",
            "requiresGrad", "autograd bookkeeping: marks a leaf",
            "grad", "autograd bookkeeping: the accumulated gradient");

    private static Set<String> covered() {
        Set<String> s = new HashSet<>();
        for (OpCase c : OpCases.all()) s.addAll(c.covers());
        return s;
    }

    @Test
    void everyFacadeOpHasACase() {
        Set<String> covered = covered(), missing = new TreeSet<>();
        for (Class<?> facade : FACADES)
            for (Method m : facade.getDeclaredMethods())
                if (OpCase.isPublicStatic(m) && !covered.contains(OpCase.key(m))) missing.add(OpCase.key(m));
        assertTrue(missing.isEmpty(), "public ops without a row in OpCases: " + missing);
    }

    @Test
    void everyDifferentiableTensorMethodHasACase() {
        Set<String> covered = covered(), missing = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            boolean op = Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && (m.getReturnType() == Tensor.class || m.getReturnType() == Reductions.ValuesIndices.class);
            if (op && !TENSOR_EXCLUDED.containsKey(m.getName()) && !covered.contains(OpCase.key(m))) missing.add(OpCase.key(m));
        }
        assertTrue(missing.isEmpty(), "Tensor methods without a row in OpCases: " + missing);
    }

    @Test
    void rowNamesAreUniqueSnakeCase() {
        List<OpCase> all = OpCases.all();
        assertEquals(all.size(), all.stream().map(OpCase::name).distinct().count(), "duplicate row names");
        for (OpCase c : all) assertTrue(c.name().matches("[a-z0-9_]+"), c.name() + ": row names are snake_case (they name the tests)");
    }
}
