/** The built-in packs under packs/migration: each scenario a test, and each pack inverted (tests/packs/builtinSuite.ts). */
import { builtinPackSuite } from './builtinSuite';

builtinPackSuite('packs/migration');
