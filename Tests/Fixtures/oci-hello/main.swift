// The executable the OCI tests package into an image and run from the unpacked root filesystem.
print("hello from oci-hello")
