/** The built-in packs under packs/defects: each scenario a test, and each pack inverted (tests/packs/builtinSuite.ts). */
import { builtinPackSuite } from './builtinSuite';

builtinPackSuite('packs/defects');
