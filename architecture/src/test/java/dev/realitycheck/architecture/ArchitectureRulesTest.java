package dev.realitycheck.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The house plan as rules on the compiled main classes of every module (test classes are left
 * out): which module may use which, that the retrieval engine needs nothing beyond the JDK, that
 * datasets need no TensorFlow, that no two packages depend on each other in a cycle, and that
 * generated protobuf code lives only in {@code proto}. A rule that fails names each offending
 * dependency (class, member and line).
 */
class ArchitectureRulesTest {

    /** The retrieval engine's packages (module retrieval-engine). */
    static final String[] ENGINE = {"dev.realitycheck.knn..", "dev.realitycheck.retrieval..",
        "dev.realitycheck.split..", "dev.realitycheck.stats.."};

    /** The services and the command-line tool: applications, never used by anything else. */
    static final String[] APPLICATIONS = {"dev.realitycheck.trainer..", "dev.realitycheck.embedding..",
        "dev.realitycheck.evaluation..", "dev.realitycheck.cli.."};

    /** Training and hyperparameter search: only the trainer service may use them. */
    static final String[] TRAINING = {"dev.realitycheck.loss..", "dev.realitycheck.train..",
        "dev.realitycheck.search.."};

    static JavaClasses project;

    @BeforeAll
    static void importProject() {
        project = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.realitycheck");
        assertThat(project.stream().map(c -> c.getPackageName()).distinct())
                .as("every module's classes are on this module's test class path")
                .contains("dev.realitycheck.knn", "dev.realitycheck.data", "dev.realitycheck.model",
                        "dev.realitycheck.loss", "dev.realitycheck.search", "dev.realitycheck.transport", "dev.realitycheck.formats",
                        "dev.realitycheck.proto.v1", "dev.realitycheck.trainer", "dev.realitycheck.embedding",
                        "dev.realitycheck.evaluation", "dev.realitycheck.cli");
    }

    @Test
    void noServiceImportsAnother() {
        for (String app : APPLICATIONS) {
            List<String> others = new ArrayList<>(List.of(APPLICATIONS));
            others.remove(app);
            noClasses().that().resideInAPackage(app)
                    .should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new))
                    .because("each service deploys alone and talks to the others only through proto contracts")
                    .check(project);
        }
    }

    @Test
    void librariesUseNoApplicationAndNoQuarkus() {
        noClasses().that().resideOutsideOfPackages(APPLICATIONS)
                .should().dependOnClassesThat().resideInAnyPackage(APPLICATIONS)
                .check(project);
        noClasses().that().resideInAnyPackage(concat(ENGINE, TRAINING, "dev.realitycheck.data..",
                        "dev.realitycheck.model..", "dev.realitycheck.transport..", "dev.realitycheck.formats.."))
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..",
                        "jakarta.inject..")
                .because("the libraries run in any JVM program, not only inside a Quarkus application")
                .check(project);
    }

    @Test
    void theRetrievalEngineUsesNothingBeyondTheJdk() {
        classes().that().resideInAnyPackage(ENGINE)
                .should().onlyDependOnClassesThat().resideInAnyPackage(concat(ENGINE, "java..", "jdk.incubator.vector.."))
                .because("the engine can be used from any JVM program with nothing else on the class path")
                .check(project);
    }

    @Test
    void theRetrievalEngineModuleDeclaresNoDependency() throws Exception {
        Path pom = Path.of(System.getProperty("realitycheck.repository.root", "..")).resolve("retrieval-engine/pom.xml");
        assertThat(pom).isRegularFile();
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Files.newInputStream(pom)).getDocumentElement();
        NodeList dependencies = project.getElementsByTagName("dependency");
        List<String> compileOrRuntime = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            NodeList scope = d.getElementsByTagName("scope");
            if (scope.getLength() == 0 || !scope.item(0).getTextContent().trim().equals("test")) {
                compileOrRuntime.add(d.getElementsByTagName("artifactId").item(0).getTextContent().trim());
            }
        }
        assertThat(compileOrRuntime).as("retrieval-engine's compile and runtime dependencies").isEmpty();
    }

    @Test
    void datasetsUseNoTensorFlowNoKafkaAndNoTraining() {
        noClasses().that().resideInAPackage("dev.realitycheck.data..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(TRAINING, "org.tensorflow..",
                        "org.apache.kafka..", "dev.realitycheck.model..", "dev.realitycheck.proto.."))
                .check(project);
    }

    @Test
    void onlyTheTrainerTrains() {
        noClasses().that().resideInAnyPackage("dev.realitycheck.model..", "dev.realitycheck.data..",
                        "dev.realitycheck.transport..", "dev.realitycheck.formats..")
                .should().dependOnClassesThat().resideInAnyPackage(TRAINING)
                .check(project);
        noClasses().that().resideInAnyPackage("dev.realitycheck.embedding..", "dev.realitycheck.evaluation..",
                        "dev.realitycheck.cli..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage(TRAINING)
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.realitycheck.train.images.."))))
                .because("evaluation and serving load checkpoints; they never compile against the loss zoo, only"
                        + " against the input pipeline that preprocesses images as the trainer's evaluation does")
                .check(project);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.realitycheck.(**)").should().beFreeOfCycles().check(project);
    }

    @Test
    void generatedProtobufCodeLivesOnlyInProto() {
        classes().that().areAssignableTo(com.google.protobuf.MessageLiteOrBuilder.class)
                .or().haveSimpleNameEndingWith("Grpc")
                .should().resideInAPackage("dev.realitycheck.proto..")
                .because("contracts are generated once, in the proto module, from proto/src/main/proto")
                .check(project);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        return concat(concat(a, b), c);
    }
}
