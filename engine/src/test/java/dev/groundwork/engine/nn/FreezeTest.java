package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

class FreezeTest {

    @Test
    void freezeEncoderThenUnfreezeLayerOne() {
        TinyBert m = new TinyBert(3, new Generator(1));
        m.freeze("encoder.*");
        m.unfreeze("encoder.layer.1*");
        List<String> expected = new ArrayList<>();
        for (String n : ModuleNamesTest.expectedBertNames(3))
            if (!n.startsWith("encoder.") || n.startsWith("encoder.layer.1.")) expected.add(n);
        assertEquals(expected, new ArrayList<>(m.namedTrainableParameters().keySet()));
        long trainable = 0;
        for (Tensor t : m.trainableParameters()) trainable += t.numel();
        assertEquals(trainable, m.numTrainableParameters());
        assertTrue(m.numTrainableParameters() < m.numParameters());
    }

    @Test
    void frozenParametersGetNoGradient() {
        Generator g = new Generator(2);
        Sequential s = new Sequential(new Linear(4, 3, g), new Tanh(), new Linear(3, 1, g));
        s.freeze("0");
        s.forward(Tensor.randn(g, 5, 4)).sum().backward();
        assertNull(s.get("0.weight").grad());
        assertNull(s.get("0.bias").grad());
        assertNotNull(s.get("2.weight").grad());
        s.zeroGrad();
        assertNull(s.get("2.weight").grad());
    }

    @Test
    void globSemantics() {
        Predicate<String> layer1 = NamePattern.compile("encoder.layer.1");
        assertTrue(layer1.test("encoder.layer.1.output.dense.weight"));
        assertFalse(layer1.test("encoder.layer.10.output.dense.weight"), "a plain name selects a whole module, not a string prefix");
        Predicate<String> layer1x = NamePattern.compile("encoder.layer.1*");
        assertTrue(layer1x.test("encoder.layer.10.output.dense.weight"));
        assertFalse(layer1x.test("encoder.layer.2.output.dense.weight"));
        Predicate<String> biases = NamePattern.compile("*.bias");
        assertTrue(biases.test("pooler.dense.bias"));
        assertFalse(biases.test("pooler.dense.weight"));
        Predicate<String> oneChar = NamePattern.compile("encoder.layer.?.attention");
        assertTrue(oneChar.test("encoder.layer.3.attention.self.key.bias"));
        assertFalse(oneChar.test("encoder.layer.11.attention.self.key.bias"));
        assertTrue(NamePattern.compile("a+b").test("a+b.w"), "regex metacharacters in globs are literal");
        assertFalse(NamePattern.compile("a+b").test("aab.w"));
    }

    @Test
    void regexSemantics() {
        Predicate<String> p = NamePattern.compile("re:encoder\\.layer\\.(0|2)\\..*\\.weight");
        assertTrue(p.test("encoder.layer.2.output.dense.weight"));
        assertFalse(p.test("encoder.layer.1.output.dense.weight"));
        assertFalse(p.test("encoder.layer.0.output.dense.bias"), "regexes must match the whole name");
        TinyBert m = new TinyBert(3, new Generator(3));
        assertEquals(16, m.freeze("re:encoder\\.layer\\.(0|2)\\..*\\.weight").size());
        assertThrows(IllegalArgumentException.class, () -> NamePattern.compile("re:(unclosed"));
    }

    @Test
    void patternMatchingNothingThrows() {
        TinyBert m = new TinyBert(1, new Generator(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.freeze("encoder.layers.*"));
        assertTrue(e.getMessage().contains("encoder.layers.*"));
    }
}
