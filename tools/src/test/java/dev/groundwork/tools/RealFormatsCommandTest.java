package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's path from downloaded files to stage 3, on the synthetic scenes rewritten in the formats
 * users download: COCO 2017 ({@code annotations/captions_{train,val}2017.json} beside {@code train2017/},
 * {@code val2017/} of JPEGs named by id), Karpathy's split file, and Visual Genome v1.4
 * ({@code image_data.json}, {@code relationships.json}, {@code attributes.json}, images under
 * {@code VG_100K/}), through {@code gw train two-stream} and {@code gw data prepare-vg} into
 * {@code gw train relational}, with no conversion of the user's own.
 */
class RealFormatsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliRun gw(String... args) { return CliRun.of(new Gw(), args); }

    /** COCO 2017 as downloaded, from the synthetic scenes' Karpathy file: split's images as JPEGs named %012d.jpg. */
    private static Path coco(Path data, Path coco, String karpathySplit, String release) throws Exception {
        JsonNode k = JSON.readTree(data.resolve("dataset_coco.json").toFile());
        ObjectNode root = JSON.createObjectNode();
        root.putObject("info").put("description", "COCO 2017 Dataset").put("year", 2017);
        root.putArray("licenses");
        ArrayNode images = root.putArray("images"), anns = root.putArray("annotations");
        int annId = 1;
        for (JsonNode im : k.get("images")) {
            if (!im.get("split").asText().equals(karpathySplit)) continue;
            int id = 1000 + im.get("imgid").asInt();
            String file = String.format("%012d.jpg", id);
            BufferedImage src = ImageIO.read(data.resolve("images").resolve(im.get("filename").asText()).toFile());
            BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(src, 0, 0, null);
            Files.createDirectories(coco.resolve(release));
            ImageIO.write(rgb, "jpg", coco.resolve(release).resolve(file).toFile());
            images.addObject().put("license", 1).put("file_name", file).put("height", src.getHeight()).put("width", src.getWidth()).put("id", id);
            for (JsonNode s : im.get("sentences")) anns.addObject().put("image_id", id).put("id", annId++).put("caption", s.get("raw").asText());
        }
        Path ann = coco.resolve("annotations").resolve("captions_" + release + ".json");
        Files.createDirectories(ann.getParent());
        JSON.writeValue(ann.toFile(), root);
        return ann;
    }

    /**
     * Visual Genome v1.4 from the synthetic scenes' stage-3 records: one image entry per record (URL with
     * its VG_100K folder), each relation as a relationship whose synset names the predicate and whose ends
     * carry names and object synsets, and the colour as the object's attribute.
     */
    private static Path visualGenome(Path data, Path vg) throws Exception {
        JsonNode train = JSON.readTree(data.resolve("VG_train.json").toFile());
        ArrayNode imageData = JSON.createArrayNode(), rels = JSON.createArrayNode(), attrs = JSON.createArrayNode();
        Files.createDirectories(vg.resolve("VG_100K"));
        int imageId = 1, objectId = 1, relId = 1;
        for (JsonNode rec : train.get("data")) {
            Files.copy(data.resolve("images").resolve(rec.get("image").asText()), vg.resolve("VG_100K").resolve(imageId + ".png"));
            imageData.addObject().put("width", 48).put("height", 48).put("url", "https://cs.stanford.edu/people/rak248/VG_100K/" + imageId + ".png")
                    .put("image_id", imageId).putNull("coco_id").putNull("flickr_id");
            int n = rec.get("object_description").size(), first = objectId;
            ArrayNode a = attrs.addObject().put("image_id", imageId).putArray("attributes");
            for (int i = 0; i < n; i++) {
                String[] words = rec.get("object_description").get(i).asText().split(" ");
                a.addObject().put("object_id", first + i).putArray("attributes").add(words[0]);
            }
            ObjectNode entry = rels.addObject();
            ArrayNode list = entry.putArray("relationships");
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    int p = rec.get("relation").get(i).get(j).asInt();
                    if (p == 0) continue;
                    ObjectNode r = list.addObject().put("relationship_id", relId++).put("predicate", "p" + p);
                    r.putArray("synsets").add("p" + p + ".r.01");
                    end(r.putObject("subject"), first + i, rec, i);
                    end(r.putObject("object"), first + j, rec, j);
                }
            entry.put("image_id", imageId++);
            objectId += n;
        }
        JSON.writeValue(vg.resolve("image_data.json").toFile(), imageData);
        JSON.writeValue(vg.resolve("relationships.json").toFile(), rels);
        JSON.writeValue(vg.resolve("attributes.json").toFile(), attrs);
        return vg;
    }

    private static void end(ObjectNode e, int id, JsonNode rec, int i) {
        String[] words = rec.get("object_description").get(i).asText().split(" ");
        e.put("object_id", id).put("x", 0).put("y", 0).put("w", 4).put("h", 4).put("name", words[words.length - 1]);
        e.putArray("synsets").add(words[words.length - 1] + ".n.01");
    }

    @Test
    void fromDownloadedFormatsToStageThree(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("synth"), coco = tmp.resolve("coco");
        SynthScenes.write(data, 40, 48, 0);
        Path train = coco(data, coco, "train", "train2017"), val = coco(data, coco, "val", "val2017");
        String vocab = TransferModelCommandsTest.vocab().toString();

        CliRun two = gw("train", "two-stream", "--preset", "demo", "--bert", "none", "--data-train", train.toString(), "--data-val", val.toString(),
                "--out", tmp.resolve("two").toString(), "--vocab", vocab, "-b", "8", "--n_epochs", "1", "--workers", "0");
        assertEquals(0, two.code(), two.err());

        // Karpathy's file with the images where its filepath says, as the transfer's training data.
        CliRun k = gw("train", "two-stream", "--preset", "demo", "--bert", "none", "--data-train", data.resolve("dataset_coco.json").toString(),
                "--images", data.toString(), "--out", tmp.resolve("two-k").toString(), "--vocab", vocab, "-b", "8", "--n-epochs", "1",
                "--max-steps", "1", "--workers", "0");
        assertEquals(0, k.code(), k.err());

        Path vg = visualGenome(data, tmp.resolve("vg")), prepared = tmp.resolve("vg-prepared");
        CliRun prep = gw("data", "prepare-vg", vg.toString(), "--out", prepared.toString(), "--predicates", "4", "--object-classes", "4",
                "--val-fraction", "0.2");
        assertEquals(0, prep.code(), prep.err());
        assertTrue(prep.out().contains("4 predicates (--relation-num 5), 4 object classes") && prep.out().contains("relationships kept"), prep.out());
        assertEquals(6, Files.readAllLines(prepared.resolve("predicates.tsv")).size());

        CliRun three = gw("train", "relational", "--preset", "demo", "--data-train", prepared.resolve("VG_train.json").toString(),
                "--data-val", prepared.resolve("VG_val.json").toString(), "--load-pretrained", tmp.resolve("two").resolve(Trainer.BEST).toString(),
                "--relation-num", "5", "--out", tmp.resolve("three").toString(), "--vocab", vocab, "-b", "4", "--n-epochs", "1",
                "--max-steps", "2", "--workers", "0");
        assertEquals(0, three.code(), three.err());
    }
}
