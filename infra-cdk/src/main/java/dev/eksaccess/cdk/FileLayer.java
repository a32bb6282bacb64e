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
 * One configuration file, validated by synth, as a Lambda layer: synth writes the text into a directory of the cloud
 * assembly ({@code <outdir>/layer-<address>/<fileInLayer>}) and stages it as the layer's asset. Lambda mounts layers
 * under {@code /opt}, so the function reads {@code /opt/<fileInLayer>}. Used for the eligibility document and the
 * deployment settings file ({@code DeploymentSettings}).
 *
 * <p>A layer, not environment variables, because Lambda allows 4 KB of environment in all and these files grow with
 * the organisation. The asset is hashed from the directory's content, so a changed file is a new asset and a new
 * layer version; with {@code @aws-cdk/aws-lambda:recognizeLayerVersion} (cdk.json) the layer is part of the
 * function's version hash, so {@code cdk deploy} also publishes a new function version, the one SnapStart snapshots
 * and the alias serves.
 */
public final class FileLayer extends Construct {

    /** Where Lambda extracts a function's layers. */
    public static final String LAMBDA_LAYERS = "/opt/";

    private final Path directory;
    private final String fileInLayer;
    private final LayerVersion layer;

    /**
     * @param fileInLayer the file's path inside the layer's archive, e.g. {@code eks-access/eligibility.json}
     * @param text        the file's content, already validated
     * @param description the layer version's description
     */
    public FileLayer(Construct scope, String id, String fileInLayer, String text, String description) {
        super(scope, id);
        this.fileInLayer = fileInLayer;
        this.directory = Path.of(Stage.of(this).getOutdir()).resolve("layer-" + getNode().getAddr());
        write(directory.resolve(fileInLayer), text);
        this.layer = LayerVersion.Builder.create(this, "Layer")
                .code(Code.fromAsset(directory.toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .description(description)
                .build();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the layer's content to " + file, e);
        }
    }

    /** The directory the layer is built from: what Lambda will mount at {@code /opt}. */
    public Path directory() {
        return directory;
    }

    /** Where the function finds the file. */
    public String fileInFunction() {
        return LAMBDA_LAYERS + fileInLayer;
    }

    public LayerVersion layer() {
        return layer;
    }
}
