package dev.realitycheck.localstack;

import dev.realitycheck.transport.KafkaClientOverrides;
import dev.realitycheck.transport.KafkaPrincipal;
import dev.realitycheck.transport.TopicAcls;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The local stack's Kafka users: the broker authenticates every client with SASL and authorizes it
 * with Kafka's {@code StandardAuthorizer}, each service as its own SCRAM-SHA-512 user
 * ({@link KafkaPrincipal}) with the ACLs of {@link TopicAcls}, and {@code bin/realitycheck results}
 * as the reader. Passwords are generated per start ({@link SecureRandom}).
 *
 * <p>The admin ({@value #ADMIN}, the super user) authenticates with SASL/PLAIN, its password in the
 * broker's own configuration: SCRAM credentials live in the cluster's metadata, so the first one has
 * to be created by a user the broker knows without them. The admin creates the SCRAM users, the ACLs
 * and the topics ({@link #provision}); it also secures the KRaft controller listener. A third,
 * plain-text listener is left for the broker's readiness probe: its anonymous user has no ACL, so it
 * can read and write nothing.
 *
 * <p>Each user's client settings ({@code security.protocol}, {@code sasl.*}) are a properties file
 * only its owner can read ({@link #writeClientConfigs}), which a service is given through
 * {@link KafkaClientOverrides#CONFIG_FILE_PROPERTY}.
 */
public final class LocalKafkaUsers {

    /** The super user's name. */
    public static final String ADMIN = "admin";
    /** The services' SASL mechanism. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The listener the clients use (SASL_PLAINTEXT). */
    static final String CLIENT_LISTENER = "CLIENT";
    /** Partitions of the topics the admin creates: the services' default {@code topic-partitions}. */
    static final int TOPIC_PARTITIONS = 3;
    /** The directory of the client files in the run directory. */
    static final String DIRECTORY = "kafka-users";

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final int SCRAM_ITERATIONS = 8192;

    private final String adminPassword;
    private final Map<KafkaPrincipal, String> passwords;

    private LocalKafkaUsers(String adminPassword, Map<KafkaPrincipal, String> passwords) {
        this.adminPassword = adminPassword;
        this.passwords = Map.copyOf(passwords);
    }

    /** New random passwords for the admin and every {@link KafkaPrincipal}. */
    public static LocalKafkaUsers generate() {
        SecureRandom random = new SecureRandom();
        Map<KafkaPrincipal, String> passwords = new EnumMap<>(KafkaPrincipal.class);
        for (KafkaPrincipal p : KafkaPrincipal.values()) {
            passwords.put(p, password(random));
        }
        return new LocalKafkaUsers(password(random), passwords);
    }

    /**
     * The broker's settings: a SASL client listener (SCRAM-SHA-512 for the services, PLAIN for the
     * admin), a SASL/PLAIN controller listener, a plain-text listener for the readiness probe, the
     * authorizer and the admin as the only super user.
     *
     * @param host           the address every listener binds
     * @param clientPort     the clients' port
     * @param probePort      the plain-text port ({@code LocalKafkaBroker}'s {@code port})
     * @param controllerPort the controller's port
     */
    public Map<String, String> brokerProperties(String host, int clientPort, int probePort, int controllerPort) {
        String adminServer = PLAIN_MODULE + " required username=\"" + ADMIN + "\" password=\"" + adminPassword
                + "\" user_" + ADMIN + "=\"" + adminPassword + "\";";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "PLAINTEXT://" + host + ":" + probePort + "," + CLIENT_LISTENER + "://" + host + ":" + clientPort
                + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + probePort + "," + CLIENT_LISTENER + "://" + host + ":" + clientPort);
        p.put("listener.security.protocol.map", "CONTROLLER:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT," + CLIENT_LISTENER + ":SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM + ",PLAIN");
        String client = "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        p.put(client + "sasl.enabled.mechanisms", MECHANISM + ",PLAIN");
        p.put(client + "plain.sasl.jaas.config", adminServer);
        p.put(client + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config", SCRAM_MODULE + " required;");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", adminServer);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN);
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** The client settings of a user: SASL_PLAINTEXT, SCRAM-SHA-512, its name and password. */
    public Properties clientProperties(KafkaPrincipal principal) {
        return sasl(MECHANISM, SCRAM_MODULE, principal.userName(), passwords.get(principal));
    }

    /** The admin's client settings (SASL/PLAIN), for {@code kafka-acls.sh --command-config} and {@link #provision}. */
    public Properties adminProperties() {
        return sasl("PLAIN", PLAIN_MODULE, ADMIN, adminPassword);
    }

    /**
     * As the admin: creates every user's SCRAM credentials, the ACLs of {@link TopicAcls#bindings()}
     * and the topics of {@link Topics#ALL} (with their {@code TopicSpec}).
     *
     * @param bootstrapServers the client listener
     * @throws IllegalStateException when the broker refuses or does not answer within 30 s
     */
    public void provision(String bootstrapServers) {
        Properties props = adminProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            passwords.forEach((principal, password) -> users.add(new UserScramCredentialUpsertion(principal.userName(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(TopicAcls.bindings()).all().get(30, TimeUnit.SECONDS);
            TopicAdmin.ensureTopics(admin, Topics.ALL, TOPIC_PARTITIONS, (short) 1);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the Kafka users, ACLs and topics on " + bootstrapServers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the Kafka users", e);
        }
    }

    /**
     * Writes each user's client file, {@code <user>.properties}, and the admin's, readable by the owner
     * only, into {@code dir}.
     *
     * @return the file of each principal
     */
    public Map<KafkaPrincipal, Path> writeClientConfigs(Path dir) {
        Map<KafkaPrincipal, Path> files = new EnumMap<>(KafkaPrincipal.class);
        for (KafkaPrincipal p : KafkaPrincipal.values()) {
            files.put(p, write(dir.resolve(p.userName() + ".properties"), clientProperties(p)));
        }
        write(dir.resolve(ADMIN + ".properties"), adminProperties());
        return files;
    }

    /** The Kafka user a service of the stack runs as. */
    static KafkaPrincipal principal(StackService service) {
        return switch (service) {
            case TRAINER -> KafkaPrincipal.TRAINER;
            case EVALUATION -> KafkaPrincipal.EVALUATION;
            case EMBEDDING -> KafkaPrincipal.EMBEDDING;
        };
    }

    /** The client file of a principal in a run directory (written by {@link #writeClientConfigs} at start). */
    public static Path clientConfig(RunDirectory run, KafkaPrincipal principal) {
        return run.root().resolve(DIRECTORY).resolve(principal.userName() + ".properties");
    }

    private static Path write(Path file, Properties props) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(file)) {
                props.store(w, "Kafka client settings of the local stack (" + KafkaClientOverrides.CONFIG_FILE_PROPERTY + ")");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Properties sasl(String mechanism, String module, String user, String password) {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_PLAINTEXT");
        p.setProperty("sasl.mechanism", mechanism);
        p.setProperty("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    private static String password(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
