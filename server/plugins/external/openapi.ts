import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/** The OpenAPI 3 document built from the routes' schemas, browsable at /docs. */
export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'phusong API',
        description: 'Where 4G coverage is missing in the mountains of northern Vietnam. GeoJSON in and out (WGS84); errors are application/problem+json.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, required for writes until accounts exist' } },
      },
    },
  })
  // Its own content security policy for the docs pages; Swagger UI sets a few inline styles.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/style-src ([^;]*);/, "style-src $1 'unsafe-inline';"),
  })
}, { name: 'openapi' })
