package dev.realitycheck.transport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Security settings (TLS, SASL) for every Kafka client of the services, from outside the code:
 * a properties file named by {@value #CONFIG_FILE_ENV} (or the system property
 * {@value #CONFIG_FILE_PROPERTY}) with {@code security.protocol}, {@code ssl.*} and {@code sasl.*}
 * keys, and the JAAS line in {@value #JAAS_ENV} (kept out of the file so that it can come from a
 * Secret). The Helm chart renders both. Any other key is refused, naming it: producer, consumer and
 * serialisation settings are the code's ({@link KafkaSettings}).
 */
public final class KafkaClientOverrides {

    /** Environment variable naming the client properties file. */
    public static final String CONFIG_FILE_ENV = "REALITYCHECK_KAFKA_CLIENT_CONFIG";

    /** System property naming the client properties file (wins over the environment variable). */
    public static final String CONFIG_FILE_PROPERTY = "realitycheck.kafka.client-config";

    /** Environment variable holding {@code sasl.jaas.config}. */
    public static final String JAAS_ENV = "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG";

    private KafkaClientOverrides() {
    }

    /** The overrides configured for this process; empty when none is. */
    public static Properties fromEnvironment() {
        return load(System.getenv(), System.getProperties());
    }

    /** Adds this process's overrides to a client's properties. */
    public static Properties applyTo(Properties client) {
        client.putAll(fromEnvironment());
        return client;
    }

    /**
     * The overrides from {@code env} and {@code system}.
     *
     * @throws IllegalArgumentException for a key that is not a security setting
     * @throws UncheckedIOException when the named file cannot be read
     */
    static Properties load(Map<String, String> env, Properties system) {
        Properties overrides = new Properties();
        String file = system.getProperty(CONFIG_FILE_PROPERTY, env.get(CONFIG_FILE_ENV));
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            try (Reader reader = Files.newBufferedReader(path)) {
                overrides.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Kafka client config " + path + " (" + CONFIG_FILE_ENV + ") cannot be read: " + e.getMessage(), e);
            }
            for (String key : overrides.stringPropertyNames()) {
                if (!isSecuritySetting(key)) {
                    throw new IllegalArgumentException("Kafka client config " + path + ": '" + key
                            + "' is not a security setting (allowed: security.protocol, ssl.*, sasl.*)");
                }
            }
        }
        String jaas = env.get(JAAS_ENV);
        if (jaas != null && !jaas.isBlank()) {
            overrides.setProperty("sasl.jaas.config", jaas.strip());
        }
        return overrides;
    }

    private static boolean isSecuritySetting(String key) {
        return key.equals("security.protocol") || key.startsWith("ssl.") || key.startsWith("sasl.");
    }
}
