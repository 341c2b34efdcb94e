package io.edgefleet.planner;

import com.google.ortools.Loader;

/** Loads the OR-Tools natives (extracted from the platform jar on the classpath) once per class loader. */
final class OrToolsNatives {
    private static volatile boolean loaded;

    private OrToolsNatives() {
    }

    static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (OrToolsNatives.class) {
            if (loaded) {
                return;
            }
            try {
                Loader.loadNativeLibraries();
                loaded = true;
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new PlannerException(PlannerErrorCode.NATIVE_LIBRARY_UNAVAILABLE,
                        "cannot load the OR-Tools native libraries for " + System.getProperty("os.name") + "/"
                                + System.getProperty("os.arch") + ": " + e.getMessage(), e);
            }
        }
    }
}
