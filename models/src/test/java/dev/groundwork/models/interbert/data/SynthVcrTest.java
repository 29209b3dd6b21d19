package dev.groundwork.models.interbert.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic VCR questions carry a signal a model can learn from the training split: the right answer
 * (and rationale) names a class the image's regions hold, each wrong one a class they do not, so the image
 * decides; and the texts alone do not (the right choice's position and class are spread evenly).
 */
class SynthVcrTest {
    @TempDir Path dir;

    @Test
    void theRightChoiceNamesAClassTheImageHoldsAndTheWrongOnesClassesItLacks() throws Exception {
        InterBertSynth.write(dir, InterBertSynth.Options.SMALL.withImages(80).withSeed(5));
        Path vcr = dir.resolve("VCR");
        int[] answerAt = new int[4], rationaleAt = new int[4];
        int[] rightClass = new int[SynthWorld.CLASSES.size()];
        int questions = 0;
        for (String split : new String[]{"train", "val"}) {
            VcrAnnotations a = VcrAnnotations.read(vcr.resolve(split + ".jsonl"));
            for (VcrAnnotations.Question q : a.questions()) {
                questions++;
                List<String> present = VcrAnnotations.names(vcr.resolve("vcr1images").resolve(q.metadataFn()));
                for (int k = 0; k < 4; k++) {
                    String answerClass = q.answers().get(k).get(1).text(), rationaleClass = q.rationales().get(k).get(2).text();
                    assertEquals(k == q.answerLabel(), present.contains(answerClass), q.annotId() + " answer " + k + " names " + answerClass + ", image holds " + present);
                    assertEquals(k == q.rationaleLabel(), present.contains(rationaleClass), q.annotId() + " rationale " + k + " names " + rationaleClass);
                    if (k == q.answerLabel()) rightClass[SynthWorld.CLASSES.indexOf(answerClass)]++;
                }
                assertTrue(q.question().get(3).objects() != null, "the question refers to an object of the image");
                answerAt[q.answerLabel()]++;
                rationaleAt[q.rationaleLabel()]++;
            }
        }
        assertEquals(80 * InterBertSynth.QUESTIONS_PER_IMAGE, questions);
        for (int k = 0; k < 4; k++) {
            assertTrue(answerAt[k] > questions / 10, "right answers at every position: " + java.util.Arrays.toString(answerAt));
            assertTrue(rationaleAt[k] > questions / 10, "right rationales at every position: " + java.util.Arrays.toString(rationaleAt));
        }
        for (int c : rightClass) assertFalse(c > questions / 3, "no class is the right answer most of the time: " + java.util.Arrays.toString(rightClass));
    }
}
