package dev.eksaccess.emulator.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority and a server certificate for 127.0.0.1 and localhost, made once per JVM with the JDK's own
 * {@code keytool} (no BouncyCastle, no internal JDK classes): the CA is what the EKS emulator reports as a cluster's
 * {@code certificateAuthority.data}, the server certificate what the emulated API servers present.
 */
final class EmulatorCertificates {

    private static final char[] PASSWORD = "emulator".toCharArray();
    private static EmulatorCertificates instance;

    private final String caPem;
    private final KeyStore serverKeyStore;

    private EmulatorCertificates(String caPem, KeyStore serverKeyStore) {
        this.caPem = caPem;
        this.serverKeyStore = serverKeyStore;
    }

    /** The JVM's certificates, made on first use (a few keytool runs, about two seconds). */
    static synchronized EmulatorCertificates get() {
        if (instance == null) {
            instance = make();
        }
        return instance;
    }

    /** The CA certificate in PEM. */
    String caPem() {
        return caPem;
    }

    /** A TLS context presenting the server certificate (with the CA in its chain). */
    SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(serverKeyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build the emulated API server's TLS context", e);
        }
    }

    private static EmulatorCertificates make() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("eks-emulator-tls");
            String ca = dir.resolve("ca.p12").toString();
            String server = dir.resolve("server.p12").toString();
            String store = new String(PASSWORD);
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=eks-emulator-ca", "-ext", "bc:c", "-validity", "3650",
                    "-keystore", ca, "-storetype", "PKCS12", "-storepass", store);
            keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", store,
                    "-file", dir.resolve("ca.pem").toString());
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=kubernetes", "-validity", "3650",
                    "-keystore", server, "-storetype", "PKCS12", "-storepass", store);
            keytool(dir, "-certreq", "-alias", "server", "-keystore", server, "-storepass", store,
                    "-file", dir.resolve("server.csr").toString());
            keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", store,
                    "-infile", dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.pem").toString(),
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-validity", "3650");
            keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(),
                    "-keystore", server, "-storepass", store);
            keytool(dir, "-importcert", "-noprompt", "-alias", "server", "-file", dir.resolve("server.pem").toString(),
                    "-keystore", server, "-storepass", store);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(server))) {
                keyStore.load(in, PASSWORD);
            }
            return new EmulatorCertificates(Files.readString(dir.resolve("ca.pem"), StandardCharsets.US_ASCII),
                    keyStore);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the emulator's certificates with keytool", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not load the emulator's server key store", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void keytool(Path dir, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder left behind costs nothing
        }
    }
}
