package dev.realitycheck.localstack;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of every service JVM the local stack starts: watches the process that started it and
 * exits (normally, so the application's shutdown hooks run: Quarkus stops gracefully) as soon as
 * that process is gone, even when it was killed with SIGKILL and could stop nothing itself. Then
 * runs the real main class with the remaining arguments.
 *
 * <p>Usage: {@code java -cp <dir of this class>:quarkus-run.jar dev.realitycheck.localstack.ParentWatch
 * PARENT_PID MAIN_CLASS [args...]}. It uses nothing but the JDK: {@link LocalStack} copies this
 * one class file into the run directory, so it works whatever class loader runs the local stack.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /**
     * Watches the parent, then runs the main class.
     *
     * @param args the parent's pid, the main class, then its arguments
     * @throws Throwable whatever the main class throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatch PARENT_PID MAIN_CLASS [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("ParentWatch: process " + parentPid + " that started this one is gone; not starting");
            System.exit(1);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("ParentWatch: process " + parentPid + " that started this one exited; shutting down");
            System.exit(0);
        });
        try {
            Class.forName(args[1]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
