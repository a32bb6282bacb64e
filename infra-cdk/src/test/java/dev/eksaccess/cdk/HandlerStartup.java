package dev.eksaccess.cdk;

import java.lang.reflect.InvocationTargetException;

/**
 * Runs in a child JVM whose environment is exactly a function's synthesized environment (plus what Lambda itself
 * sets): constructs the handler with its no-argument constructor, as Lambda does at init. Exit 0 and "started" when
 * the handler came up; exit 1 with the error's type and message when its configuration refused to start.
 */
final class HandlerStartup {

    private HandlerStartup() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        try {
            Class.forName(args[0]).getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            System.out.println(cause.getClass().getName() + ": " + cause.getMessage());
            System.exit(1);
        }
        System.out.println("started");
    }
}
