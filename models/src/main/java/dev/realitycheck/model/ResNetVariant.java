package dev.realitycheck.model;

import java.util.List;

/**
 * The published ResNets a {@link ResNetArchitecture} builds, each with the layer structure and
 * weight names of the weights users have.
 */
public enum ResNetVariant {

    /** torchvision's {@code resnet18}: BasicBlocks {@code [2, 2, 2, 2]}, 512 features. */
    RESNET18("resnet18", false, List.of(2, 2, 2, 2), false, 1e-5f),
    /**
     * torchvision's {@code resnet50} (v1.5: the stride on the bottleneck's 3x3 convolution):
     * Bottlenecks {@code [3, 4, 6, 3]}, 2048 features.
     */
    RESNET50("resnet50", true, List.of(3, 4, 6, 3), false, 1e-5f),
    /**
     * Keras applications' {@code ResNet50} (v1: the stride on the bottleneck's first 1x1
     * convolution, biases on every convolution, BGR "caffe" input), 2048 features.
     */
    RESNET50_KERAS("resnet50-keras", true, List.of(3, 4, 6, 3), true, 1.001e-5f);

    private final String id;
    private final boolean bottleneck;
    private final List<Integer> blocks;
    private final boolean keras;
    private final float epsilon;

    ResNetVariant(String id, boolean bottleneck, List<Integer> blocks, boolean keras, float epsilon) {
        this.id = id;
        this.bottleneck = bottleneck;
        this.blocks = blocks;
        this.keras = keras;
        this.epsilon = epsilon;
    }

    /** @return the name specs use, e.g. {@code resnet50-keras} */
    public String id() {
        return id;
    }

    /** @return the variant of a spec name, or null */
    public static ResNetVariant byId(String id) {
        for (ResNetVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        return null;
    }

    /** @return whether its blocks are Bottlenecks (1x1, 3x3, 1x1; expansion 4) rather than BasicBlocks */
    public boolean bottleneck() {
        return bottleneck;
    }

    /** @return blocks per stage */
    public List<Integer> blocks() {
        return blocks;
    }

    /** @return whether it is Keras' layout (names, biases, stride on the first 1x1, BGR input) */
    public boolean keras() {
        return keras;
    }

    /** @return the BatchNorm epsilon its weights were trained with */
    public float epsilon() {
        return epsilon;
    }

    /** @return the width of the pooled features */
    public int features() {
        return bottleneck ? 2048 : 512;
    }

    /** @return the input normalisation its weights expect, for 8-bit RGB pixels */
    public Preprocessing preprocessing() {
        return keras ? Preprocessing.caffe() : Preprocessing.imagenet();
    }
}
