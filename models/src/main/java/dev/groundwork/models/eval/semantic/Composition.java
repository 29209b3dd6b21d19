package dev.groundwork.models.eval.semantic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Compositional inference (spec §7.4, the paper's "striped horse"): the words of a list nearest to a
 * phrase by cosine, and where a named target word ranks. The target is ranked among the list's words
 * and itself (it is added when the list lacks it); rank 1 is the nearest, a tie counts in the target's
 * favour.
 *
 * @param nearest      the {@code k} nearest words with their cosines, nearest first (ties in list order)
 * @param targetRank   1-based rank of the target
 * @param targetCosine cosine of phrase and target
 * @param candidates   words ranked (the list, plus the target if it was not in it)
 */
public record Composition(List<Neighbour> nearest, int targetRank, double targetCosine, int candidates) {
    public record Neighbour(String word, double cosine) {}

    public static Composition of(double[] phrase, List<String> words, double[][] vectors, String target, double[] targetVector, int k) {
        if (words.size() != vectors.length) throw new IllegalArgumentException(words.size() + " words but " + vectors.length + " vectors");
        double[] cos = new double[words.size()];
        for (int i = 0; i < cos.length; i++) cos[i] = cosine(phrase, vectors[i]);
        List<Integer> order = new ArrayList<>(IntStream.range(0, cos.length).boxed().toList());
        order.sort(Comparator.comparingDouble((Integer i) -> -cos[i]).thenComparingInt(i -> i));
        List<Neighbour> top = new ArrayList<>();
        for (int r = 0; r < Math.min(k, order.size()); r++) top.add(new Neighbour(words.get(order.get(r)), cos[order.get(r)]));
        double t = cosine(phrase, targetVector);
        int above = 0;
        boolean listed = false;
        for (int i = 0; i < cos.length; i++) {
            if (words.get(i).equals(target)) { listed = true; continue; }
            if (cos[i] > t) above++;
        }
        return new Composition(top, above + 1, t, words.size() + (listed ? 0 : 1));
    }

    static double cosine(double[] a, double[] b) {
        double na = Math.sqrt(Gram.dot(a, a)), nb = Math.sqrt(Gram.dot(b, b));
        return na == 0 || nb == 0 ? 0 : Gram.dot(a, b) / (na * nb);
    }
}
