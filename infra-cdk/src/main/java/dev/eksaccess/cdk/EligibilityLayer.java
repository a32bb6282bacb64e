package dev.eksaccess.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * The eligibility document as a Lambda layer: synth writes the validated text into a directory of the cloud
 * assembly ({@code <outdir>/eligibility-<address>/eks-access/eligibility.json}) and stages it as the layer's asset.
 * Lambda mounts layers under {@code /opt}, so the function reads {@value #FILE_IN_FUNCTION}.
 *
 * <p>A layer, not an environment variable, because Lambda allows 4 KB of environment in all and documents grow.
 * The asset is hashed from the directory's content, so a changed document is a new asset and a new layer version;
 * with {@code @aws-cdk/aws-lambda:recognizeLayerVersion} (cdk.json) the layer is part of the function's version
 * hash, so {@code cdk deploy} also publishes a new function version, the one SnapStart snapshots and the alias
 * serves.
 */
public final class EligibilityLayer extends Construct {

    /** Where the document is inside the layer's archive. */
    public static final String FILE_IN_LAYER = "eks-access/eligibility.json";
    /** Where the function finds it: Lambda extracts layers into {@code /opt}. */
    public static final String FILE_IN_FUNCTION = "/opt/" + FILE_IN_LAYER;

    private final Path directory;
    private final LayerVersion layer;

    public EligibilityLayer(Construct scope, String id, EligibilityFile eligibility) {
        super(scope, id);
        this.directory = Path.of(Stage.of(this).getOutdir()).resolve("eligibility-" + getNode().getAddr());
        write(directory.resolve(FILE_IN_LAYER), eligibility.text());
        this.layer = LayerVersion.Builder.create(this, "Layer")
                .code(Code.fromAsset(directory.toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .description("EKS access eligibility document, " + FILE_IN_LAYER + ", as validated by cdk synth")
                .build();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the eligibility layer's content to " + file, e);
        }
    }

    /** The directory the layer is built from: what Lambda will mount at {@code /opt}. */
    public Path directory() {
        return directory;
    }

    public LayerVersion layer() {
        return layer;
    }
}
