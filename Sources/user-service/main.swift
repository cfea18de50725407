import ServiceKit
import UserAPI

// The user service: registration, log-in, tokens and the current user (/api/v1/auth, /api/v1/users).
await ServiceRuntime.main(serviceName: "user-service") { router, environment in
  UserRoutes.add(to: router, environment: environment)
  return []
}
