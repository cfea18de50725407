import ItineraryAPI
import ServiceKit

// The AI service: queues itinerary generation for a trip and plans it in a worker
// (/api/v1/itineraries).
await ServiceRuntime.main(serviceName: "ai-service", migrations: ItineraryService.migrations) {
  router, environment in
  let service = try ItineraryService(environment: environment)
  service.addRoutes(to: router, environment: environment)
  return [service.worker]
}
