package dev.groundwork.engine.ops.vgbert;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.Fused;
import dev.groundwork.engine.ops.FusedResult;
import dev.groundwork.engine.ops.Out;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The VG-BERT bilinear relation operator (spec 4.3): scores[b,r,i,j] = o_bi . M_r . o_bj for
 * objects o [B,T,S] and relation matrices M [R,S,S], as one autograd node.
 *
 * <p>With Z = o M_r ([B,R,T,S]) the forward is Z o^T. For G = dScores:
 * do = sum_r (G o M_r^T + G^T Z), dM_r = sum_b o_b^T G_br o_b.
 */
public final class BilinearRelation {
    private BilinearRelation() {}

    /** A backend's fused bilinear relation (CUDA: bilinear_relation.cu); null from either means "compose". */
    public interface Kernel {
        /** scores[b,k,i,j] = z_bi · M_k · z_bj; inputs objects, relations. */
        FusedResult bilinearRelation(Tensor objects, Tensor relations, boolean forBackward);
    }

    public static Tensor scores(Tensor objects, Tensor relations) {
        Out.rank("bilinear_relation", "objects", objects, 3);
        Out.rank("bilinear_relation", "relations", relations, 3);
        int s = objects.size(2);
        if (relations.size(1) != s || relations.size(2) != s)
            throw new IllegalArgumentException("bilinear_relation: relations " + Shape.str(relations.shape())
                    + " must be [R," + s + "," + s + "] for objects " + Shape.str(objects.shape()));
        Kernel kernel = objects.backend().kernel(Kernel.class);
        Tensor fused = kernel == null ? null : Fused.run("bilinear_relation",
                kernel.bilinearRelation(objects, relations, Autograd.needsGrad(objects, relations)), objects, relations);
        if (fused != null) return fused;
        Tensor z, out;
        Tensor o1 = objects.unsqueeze(1);
        try (var g = GradMode.noGrad()) {
            z = o1.matmul(relations);          // [B,R,T,S]
            out = z.matmul(o1.mT());           // [B,R,T,T]
        }
        Tensor zf = z;
        return Autograd.record("bilinear_relation", out, new Tensor[]{objects, relations}, g -> {
            Tensor dObj = null, dRel = null;
            if (objects.requiresGrad()) {
                Tensor w = o1.matmul(relations.mT());                  // o M^T, [B,R,T,S]
                dObj = g.matmul(w).add(g.mT().matmul(zf)).sum(1, false);
            }
            if (relations.requiresGrad()) {
                dRel = o1.mT().matmul(g).matmul(o1).sum(0, false);   // [R,S,S]
            }
            return new Tensor[]{dObj, dRel};
        });
    }
}
