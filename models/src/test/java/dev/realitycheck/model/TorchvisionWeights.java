package dev.realitycheck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random weights in the names, shapes and layouts a torchvision ResNet's {@code state_dict()} has
 * (including {@code fc.*} and {@code num_batches_tracked}), as a file exported from PyTorch holds
 * them: He-scaled kernels, BatchNorm statistics away from the identity.
 */
final class TorchvisionWeights {

    private TorchvisionWeights() {
    }

    static List<WeightTensor> of(ResNetArchitecture resnet, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<WeightTensor> tensors = new ArrayList<>();
        java.util.Map<String, VariableSpec> specs = new java.util.HashMap<>();
        resnet.variables().forEach(v -> specs.put(v.name(), v));
        resnet.weightSources().forEach((variable, source) -> {
            VariableSpec spec = specs.get(variable);
            List<Integer> shape = source.layout().fileShape(spec.shape());
            float[] v = new float[spec.size()];
            String name = source.tensor();
            double fanIn = spec.fanIn();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (name.endsWith("running_var") ? random.nextDouble(0.5, 1.5)
                        : name.endsWith("running_mean") || name.endsWith("bias") ? random.nextDouble(-0.2, 0.2)
                        : shape.size() == 1 ? random.nextDouble(0.8, 1.2)
                        : random.nextGaussian() * Math.sqrt(2 / fanIn));
            }
            tensors.add(new WeightTensor(name, shape, v));
            if (name.endsWith("running_var")) {
                String bn = name.substring(0, name.length() - "running_var".length());
                tensors.add(new WeightTensor(bn + "num_batches_tracked", List.of(), new float[] {1}));
            }
        });
        tensors.add(new WeightTensor("fc.weight", List.of(1000, resnet.variant().features()),
                new float[1000 * resnet.variant().features()]));
        tensors.add(new WeightTensor("fc.bias", List.of(1000), new float[1000]));
        return tensors;
    }
}
