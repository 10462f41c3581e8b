package store.code.storagegateway;

import java.io.File;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.ContainerAccess;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.CreateContainerOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.domain.Location;
import org.jclouds.io.Payload;
import org.jclouds.rest.AuthorizationException;

/**
 * The upstream as one instance may use it: the objects of its own bucket, private. Every call that names another
 * bucket is refused (s3proxy answers 403 AccessDenied), whatever part of the request named it: the path, the
 * {@code x-amz-copy-source} of a copy or of a multipart part copy. Creating, deleting, emptying or listing buckets and
 * making anything public are refused too: buckets are the operator's, and files are shared with presigned URLs.
 * With no bucket ({@code null}) it refuses everything: s3proxy's default store for requests no key opens.
 */
final class OneBucket extends ForwardingBlobStore {
  private final String bucket;

  OneBucket(BlobStore upstream, String bucket) {
    super(upstream);
    this.bucket = bucket;
  }

  private String own(String container) {
    if (bucket == null || !bucket.equals(container)) {
      throw new AuthorizationException("this key opens bucket " + bucket + " only, not " + container);
    }
    return container;
  }

  private static AuthorizationException refused(String what) {
    return new AuthorizationException(what + " is the platform operator's to do, not an instance's");
  }

  private static void privateOnly(PutOptions options) {
    if (options != null && options.getBlobAccess() == BlobAccess.PUBLIC_READ) {
      throw new AuthorizationException("objects stay private: share a file with a presigned URL");
    }
  }

  @Override
  public PageSet<? extends StorageMetadata> list() {
    throw refused("listing buckets");
  }

  @Override
  public boolean containerExists(String container) {
    return delegate().containerExists(own(container));
  }

  @Override
  public boolean createContainerInLocation(Location location, String container) {
    throw refused("creating a bucket");
  }

  @Override
  public boolean createContainerInLocation(Location location, String container, CreateContainerOptions options) {
    throw refused("creating a bucket");
  }

  @Override
  public ContainerAccess getContainerAccess(String container) {
    return delegate().getContainerAccess(own(container));
  }

  @Override
  public void setContainerAccess(String container, ContainerAccess access) {
    throw refused("changing a bucket's access");
  }

  @Override
  public PageSet<? extends StorageMetadata> list(String container) {
    return delegate().list(own(container));
  }

  @Override
  public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
    return delegate().list(own(container), options);
  }

  @Override
  public void clearContainer(String container) {
    throw refused("emptying a bucket at once");
  }

  @Override
  public void clearContainer(String container, ListContainerOptions options) {
    throw refused("emptying a bucket at once");
  }

  @Override
  public void deleteContainer(String container) {
    throw refused("deleting a bucket");
  }

  @Override
  public boolean deleteContainerIfEmpty(String container) {
    throw refused("deleting a bucket");
  }

  @Override
  public boolean directoryExists(String container, String directory) {
    return delegate().directoryExists(own(container), directory);
  }

  @Override
  public void createDirectory(String container, String directory) {
    delegate().createDirectory(own(container), directory);
  }

  @Override
  public void deleteDirectory(String container, String directory) {
    delegate().deleteDirectory(own(container), directory);
  }

  @Override
  public boolean blobExists(String container, String name) {
    return delegate().blobExists(own(container), name);
  }

  @Override
  public String putBlob(String container, Blob blob) {
    return delegate().putBlob(own(container), blob);
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    privateOnly(options);
    return delegate().putBlob(own(container), blob, options);
  }

  @Override
  public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
    return delegate().copyBlob(own(fromContainer), fromName, own(toContainer), toName, options);
  }

  @Override
  public BlobMetadata blobMetadata(String container, String name) {
    return delegate().blobMetadata(own(container), name);
  }

  @Override
  public Blob getBlob(String container, String name) {
    return delegate().getBlob(own(container), name);
  }

  @Override
  public Blob getBlob(String container, String name, GetOptions options) {
    return delegate().getBlob(own(container), name, options);
  }

  @Override
  public void removeBlob(String container, String name) {
    delegate().removeBlob(own(container), name);
  }

  @Override
  public void removeBlobs(String container, Iterable<String> names) {
    delegate().removeBlobs(own(container), names);
  }

  @Override
  public BlobAccess getBlobAccess(String container, String name) {
    return delegate().getBlobAccess(own(container), name);
  }

  @Override
  public void setBlobAccess(String container, String name, BlobAccess access) {
    own(container);
    if (access != BlobAccess.PRIVATE) {
      throw new AuthorizationException("objects stay private: share a file with a presigned URL");
    }
    delegate().setBlobAccess(container, name, access);
  }

  @Override
  public long countBlobs(String container) {
    return delegate().countBlobs(own(container));
  }

  @Override
  public long countBlobs(String container, ListContainerOptions options) {
    return delegate().countBlobs(own(container), options);
  }

  @Override
  public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
    privateOnly(options);
    return delegate().initiateMultipartUpload(own(container), metadata, options);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    own(upload.containerName());
    delegate().abortMultipartUpload(upload);
  }

  @Override
  public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
    own(upload.containerName());
    return delegate().completeMultipartUpload(upload, parts);
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
    own(upload.containerName());
    return delegate().uploadMultipartPart(upload, partNumber, payload);
  }

  @Override
  public List<MultipartPart> listMultipartUpload(MultipartUpload upload) {
    own(upload.containerName());
    return delegate().listMultipartUpload(upload);
  }

  @Override
  public List<MultipartUpload> listMultipartUploads(String container) {
    return delegate().listMultipartUploads(own(container));
  }

  @Override
  public void downloadBlob(String container, String name, File destination) {
    delegate().downloadBlob(own(container), name, destination);
  }

  @Override
  public void downloadBlob(String container, String name, File destination, ExecutorService executor) {
    delegate().downloadBlob(own(container), name, destination, executor);
  }

  @Override
  public InputStream streamBlob(String container, String name) {
    return delegate().streamBlob(own(container), name);
  }

  @Override
  public InputStream streamBlob(String container, String name, ExecutorService executor) {
    return delegate().streamBlob(own(container), name, executor);
  }
}
