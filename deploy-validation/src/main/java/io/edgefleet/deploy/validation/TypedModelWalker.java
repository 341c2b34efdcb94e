package io.edgefleet.deploy.validation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds unknown fields in an object deserialized into a typed API model. The fabric8 Kubernetes model and the
 * Strimzi model keep fields they do not define in an {@code additionalProperties} map instead of failing; this walker
 * visits every model object reachable through getters and reports each such field with its path.
 */
final class TypedModelWalker {

  private static final List<String> MODEL_PACKAGES = List.of("io.fabric8.kubernetes.api.model", "io.strimzi.api");

  private TypedModelWalker() {}

  /** Paths (like {@code spec.template.spec.containers[0].imagePullPolcy}) of every unknown field in {@code root}. */
  static List<String> unknownFields(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> collection) {
      int index = 0;
      for (Object element : collection) {
        walk(element, path + "[" + index++ + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        walk(entry.getValue(), path + "[" + entry.getKey() + "]", found, seen);
      }
      return;
    }
    if (!isModel(value.getClass()) || !seen.add(value)) {
      return;
    }
    for (Method method : value.getClass().getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0) {
        continue;
      }
      String name = method.getName();
      if ("getAdditionalProperties".equals(name)) {
        Object extra = invoke(method, value);
        if (extra instanceof Map<?, ?> additional) {
          for (Object key : additional.keySet()) {
            found.add(join(path, String.valueOf(key)));
          }
        }
        continue;
      }
      if (!name.startsWith("get") || name.length() == 3 || "getClass".equals(name)) {
        continue;
      }
      Class<?> type = method.getReturnType();
      if (type.isPrimitive() || type == String.class || Number.class.isAssignableFrom(type) || type == Boolean.class) {
        continue;
      }
      walk(invoke(method, value), join(path, property(name)), found, seen);
    }
  }

  private static boolean isModel(Class<?> type) {
    for (String prefix : MODEL_PACKAGES) {
      if (type.getName().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Object invoke(Method method, Object target) {
    try {
      return method.invoke(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("model getter " + method + " is not accessible", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("model getter " + method + " failed", e.getCause());
    }
  }

  private static String property(String getter) {
    return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
