package dev.realitycheck.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every RPC of every proto service declares the role it needs, once: the {@code @RolesAllowed} on its method in
 * the service's {@code @GrpcService} class (docs/security.md has the table). Walks the services of the proto
 * module's file descriptors, so an RPC added to a {@code .proto} without a role fails here, naming it; and pins
 * which calls change state (operator) so that a change cannot silently become a read.
 */
class RpcRolesTest {

    private static final String ROLES_ALLOWED = "jakarta.annotation.security.RolesAllowed";

    @Test
    void everyRpcOfEveryServiceDeclaresExactlyOneRole() throws Exception {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.realitycheck");
        Map<String, String> roles = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        int services = 0;
        for (JavaClass outer : classes) {
            if (!outer.getPackageName().equals("dev.realitycheck.proto.v1") || outer.tryGetMethod("getDescriptor").isEmpty()
                    || !outer.getMethod("getDescriptor").getRawReturnType().isEquivalentTo(FileDescriptor.class)) {
                continue;
            }
            FileDescriptor file = (FileDescriptor) Class.forName(outer.getName()).getMethod("getDescriptor").invoke(null);
            for (ServiceDescriptor service : file.getServices()) {
                services++;
                JavaClass impl = implementation(classes, service);
                for (MethodDescriptor rpc : service.getMethods()) {
                    String name = Character.toLowerCase(rpc.getName().charAt(0)) + rpc.getName().substring(1);
                    Optional<String[]> allowed = impl.getMethods().stream().filter(m -> m.getName().equals(name))
                            .map(m -> rolesOf(m)).flatMap(Optional::stream).findFirst();
                    if (allowed.isEmpty() || allowed.get().length != 1) {
                        missing.add(rpc.getFullName() + " (" + impl.getSimpleName() + "." + name + ")");
                    } else {
                        roles.put(rpc.getFullName(), allowed.get()[0]);
                    }
                }
            }
        }
        assertThat(services).as("proto services found").isEqualTo(3);
        assertThat(missing).as("RPCs without exactly one @RolesAllowed role").isEmpty();
        assertThat(roles.values()).as("roles used").allMatch(r -> r.equals("reader") || r.equals("operator"));
        assertThat(roles.entrySet().stream().filter(e -> e.getValue().equals("operator")).map(Map.Entry::getKey))
                .as("the calls that change state").containsExactlyInAnyOrder(
                        "realitycheck.v1.TrainerService.StartExperiment", "realitycheck.v1.TrainerService.CancelRun",
                        "realitycheck.v1.EmbeddingService.AddToGallery");
    }

    private static JavaClass implementation(JavaClasses classes, ServiceDescriptor service) {
        String api = "dev.realitycheck.proto.v1." + service.getName();
        List<JavaClass> impls = classes.stream().filter(c -> c.isAnnotatedWith("io.quarkus.grpc.GrpcService"))
                .filter(c -> c.getAllRawInterfaces().stream().anyMatch(i -> i.getName().equals(api))).toList();
        assertThat(impls).as("the @GrpcService implementing " + api).hasSize(1);
        return impls.get(0);
    }

    private static Optional<String[]> rolesOf(JavaMethod method) {
        return method.tryGetAnnotationOfType(ROLES_ALLOWED).flatMap(a -> a.get("value")).map(v -> (String[]) v);
    }
}
