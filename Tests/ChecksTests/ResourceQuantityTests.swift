import Checks
import Testing

/// Quantities as Kubernetes reads them, and AKS's reservations for the dev pool's VM size.
@Suite struct ResourceQuantityTests {
  @Test func quantitiesAreReadInTheirBaseUnit() {
    #expect(ResourceQuantity.parse("100m") == 0.1)
    #expect(ResourceQuantity.parse("1.5") == 1.5)
    #expect(ResourceQuantity.parse("256Mi") == 256 * 1_048_576.0)
    #expect(ResourceQuantity.parse("1Gi") == 1_073_741_824.0)
    #expect(ResourceQuantity.parse("1G") == 1e9)
    #expect(ResourceQuantity.parse("1e3") == 1000)
    #expect(ResourceQuantity.parse("12 cores") == nil)
    #expect(ResourceQuantity.parse("") == nil)
    #expect(ResourceQuantity.formatCPU(1.4) == "1400m")
    #expect(ResourceQuantity.formatMemory(3200 * 1_048_576.0) == "3200Mi")
  }

  @Test func aksReservesForAB2sNodeAsTheDocumentSays() {
    // 2 cores: 100m. 1.29: min(20Mi x 30 + 50Mi, 25% of 4Gi) = 650Mi, plus 100Mi eviction.
    let mebibyte = 1024.0 * 1024
    let node = AKSNodeReservations(
      vcpus: 2, memory: 4096 * mebibyte, maxPods: 30, kubernetesVersion: "1.29.0")
    #expect(node.kubeReservedCPU == 0.1)
    #expect(node.kubeReservedMemory == 650 * mebibyte)
    #expect(node.evictionThreshold == 100 * mebibyte)
    let allocatable = node.allocatable(vcpus: 2, memory: 4096 * mebibyte)
    #expect(allocatable.cpu == 1.9)
    #expect(allocatable.memory == 3346 * mebibyte)
    // The document's example: 4 GB and 70 pods reserve 25% (1000 MB), not 1450 MB.
    let crowded = AKSNodeReservations(
      vcpus: 2, memory: 4096 * mebibyte, maxPods: 70, kubernetesVersion: "1.30.2")
    #expect(crowded.kubeReservedMemory == 1024 * mebibyte)
    // Before 1.29: 25% of the first 4 GiB and a 750Mi threshold; 3 cores use the 2-core row.
    let old = AKSNodeReservations(
      vcpus: 3, memory: 4096 * mebibyte, maxPods: 30, kubernetesVersion: "1.28.5")
    #expect(old.kubeReservedMemory == 1024 * mebibyte)
    #expect(old.evictionThreshold == 750 * mebibyte)
    #expect(old.kubeReservedCPU == 0.1)
  }
}
