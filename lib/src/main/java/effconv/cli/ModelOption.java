package effconv.cli;

import effconv.layers.Check;
import effconv.models.Model;
import effconv.models.Models;
import java.util.List;

/** The networks of {@link Models} by the names the command line takes ({@code --model mobilenet-v1}). */
public final class ModelOption {
    private ModelOption() {
    }

    /** The names {@link #byName} knows. */
    public static final List<String> NAMES = List.of("alexnet", "squeezenet", "xception", "mobilenet-v1",
            "mobilenet-v2", "shufflenet-v1");

    /**
     * A network by its command-line name, with the options that apply to it (others must be null): groups for
     * alexnet and shufflenet-v1, alpha and resolution for the MobileNets and SqueezeNet, scale for ShuffleNet.
     */
    public static Model byName(String name, Integer groups, Double alpha, Integer resolution, Double scale) {
        Check.notNull("model", name);
        String n = name.toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "alexnet" -> {
                refuse(n, "alpha", alpha, "resolution", resolution, "scale", scale);
                return Models.alexnet(groups == null ? 2 : groups);
            }
            case "squeezenet" -> {
                refuse(n, "groups", groups, "alpha", alpha, "scale", scale);
                return Models.squeezenet(resolution == null ? 224 : resolution);
            }
            case "xception" -> {
                refuse(n, "groups", groups, "alpha", alpha, "resolution", resolution, "scale", scale);
                return Models.xception(true);
            }
            case "mobilenet-v1" -> {
                refuse(n, "groups", groups, "scale", scale);
                return Models.mobilenetV1(alpha == null ? 1.0 : alpha, resolution == null ? 224 : resolution);
            }
            case "mobilenet-v2" -> {
                refuse(n, "groups", groups, "scale", scale);
                return Models.mobilenetV2(alpha == null ? 1.0 : alpha, resolution == null ? 224 : resolution);
            }
            case "shufflenet-v1" -> {
                refuse(n, "alpha", alpha, "resolution", resolution);
                return Models.shufflenetV1(groups == null ? 3 : groups, scale == null ? 1.0 : scale);
            }
            default -> throw new IllegalArgumentException("model = \"" + name + "\" is not allowed: choose one of "
                    + String.join(", ", NAMES));
        }
    }

    /** Pairs of option name and value: any value given is refused, as the model has no such option. */
    private static void refuse(String model, Object... options) {
        for (int i = 0; i + 1 < options.length; i += 2) {
            if (options[i] != null && options[i + 1] != null) {
                throw new IllegalArgumentException(options[i] + " = " + options[i + 1] + " is not allowed for "
                        + model + ": it has no " + options[i] + " option");
            }
        }
    }
}
