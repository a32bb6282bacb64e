package dev.eksaccess.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a text resource that ships inside the contract jar (the event patterns). */
final class ClassPathText {

    private ClassPathText() {
    }

    static String read(String resource) {
        try (InputStream in = ClassPathText.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
