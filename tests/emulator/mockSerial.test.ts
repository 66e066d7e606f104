import { emulatorSuite } from './emulatorSuite';
import { mockSerialPair } from './mockPair';

emulatorSuite('the mock serial pair (115200 baud, chunked)', (clock) => mockSerialPair(clock));
