import { hasHttp } from '../core/answers.js';
import type { FeatureManifest } from '../core/feature.js';
import { slugify } from '../core/slug.js';

export const docker: FeatureManifest = {
  id: 'docker',
  title: 'Dockerfile and compose',
  hint: 'multi-stage non-root image with a HEALTHCHECK; compose.yaml with its dependencies',
  enabled: (a) => a.docker,
  nextSteps: (a) => {
    if (hasHttp(a)) {
      return [
        'Docker: `docker compose up --build` (reads .env; README, "Run in Docker"). Beyond localhost, set ALLOWED_HOSTS.',
      ];
    }
    const image = slugify(a.name);
    return [
      `Docker: \`docker build -t ${image} .\`, then \`docker run -i --rm ${image}\` (the server speaks stdio).`,
    ];
  },
};
