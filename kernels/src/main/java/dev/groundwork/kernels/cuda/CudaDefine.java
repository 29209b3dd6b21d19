package dev.groundwork.kernels.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java constant that mirrors a {@code #define} of the CUDA sources (a tile size, a block
 * shape): the value lives in the header the .cu and its emulation driver include, and
 * {@code CudaDefinesTest} fails when the two differ. Every launch-geometry constant a kernel depends
 * on carries this, so no tile size is written twice without a check.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface CudaDefine {
    /** The macro's name, e.g. {@code GW_ATT_BQ}. */
    String value();
}
