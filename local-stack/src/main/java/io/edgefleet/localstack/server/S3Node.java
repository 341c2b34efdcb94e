package io.edgefleet.localstack.server;

import io.edgefleet.localstack.Component;
import io.edgefleet.localstack.LocalStackErrorCode;
import io.edgefleet.localstack.LocalStackException;
import io.edgefleet.localstack.LoopbackPorts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server (S3Proxy) over the jclouds {@code filesystem} provider: buckets are directories under
 * {@code baseDir}. Path-style addressing only (no virtual hosts); AWS signature V2 or V4, including presigned URLs.
 */
public final class S3Node implements ServiceNode {
    private static final Logger LOG = LoggerFactory.getLogger(S3Node.class);

    private final Path baseDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final String bucket;
    private BlobStoreContext context;
    private S3Proxy proxy;

    public S3Node(Path baseDir, int port, String accessKey, String secretKey, String bucket) {
        this.baseDir = baseDir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.bucket = bucket;
    }

    @Override
    public Component component() {
        return Component.S3;
    }

    public String endpoint() {
        return "http://" + LoopbackPorts.HOST + ":" + port;
    }

    @Override
    public synchronized boolean running() {
        return proxy != null;
    }

    @Override
    public synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        Files.createDirectories(baseDir);
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, baseDir.toString());
        BlobStoreContext ctx = ContextBuilder.newBuilder("filesystem")
                .overrides(overrides)
                .build(BlobStoreContext.class);
        BlobStore blobStore = ctx.getBlobStore();
        S3Proxy p = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        context = ctx;
        proxy = p;
        try {
            p.start();
            if (!"STARTED".equals(p.getState()) || !LoopbackPorts.isListening(port)) {
                throw new LocalStackException(LocalStackErrorCode.SERVICE_START_FAILED,
                        "S3Proxy on " + endpoint() + " is in state " + p.getState() + " after start");
            }
            if (blobStore.createContainerInLocation(null, bucket)) {
                LOG.info("Created bucket {}", bucket);
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        LOG.info("S3Proxy up on {} (base dir {})", endpoint(), baseDir);
    }

    @Override
    public synchronized void stop() throws Exception {
        S3Proxy p = proxy;
        BlobStoreContext ctx = context;
        if (p == null) {
            return;
        }
        proxy = null;
        context = null;
        try {
            p.stop();
        } finally {
            ctx.close();
        }
        LOG.info("S3Proxy on {} stopped", endpoint());
    }
}
