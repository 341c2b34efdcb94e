package io.edgefleet.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP file server (JDK HttpServer) honouring single {@code Range: bytes=N-} requests, that can be told to
 * break the connection after a number of body bytes for the next N requests of a path (simulated network cut).
 */
public final class FileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, long[]> cuts = new ConcurrentHashMap<>();
  private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  public FileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI put(String path, byte[] content) {
    files.put(path, content);
    return uri(path);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path + "?X-Signature=secret");
  }

  /** The next {@code times} GETs of {@code path} stop after {@code afterBytes} body bytes and drop the connection. */
  public void cutAfter(String path, long afterBytes, int times) {
    cuts.put(path, new long[] {afterBytes, times});
  }

  /** The Range headers received, in order (null entries for requests without one). */
  public List<String> rangeHeaders() {
    return rangeHeaders;
  }

  public int requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] content = files.get(path);
      String range = ex.getRequestHeaders().getFirst("Range");
      rangeHeaders.add(range);
      if (content == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      int start = 0;
      if (range != null) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
          ex.sendResponseHeaders(400, -1);
          return;
        }
        start = Integer.parseInt(m.group(1));
        if (start >= content.length) {
          ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        ex.sendResponseHeaders(206, content.length - start);
      } else {
        ex.sendResponseHeaders(200, content.length);
      }
      long[] cut = cuts.get(path);
      OutputStream body = ex.getResponseBody();
      if (cut != null && cut[1] > 0) {
        cut[1]--;
        int n = (int) Math.min(cut[0], content.length - start);
        body.write(content, start, n);
        body.flush();
        // abandon the exchange with fewer bytes than announced: the client sees a truncated body
        throw new IOException("simulated network cut after " + n + " bytes");
      }
      body.write(content, start, content.length - start);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
